// agglo dashboard: small vanilla script, one init function per page.
// Every label of a mode, level, stage, problem, metric or measure comes
// from the API in the page's language; the script only lays it out.
(function () {
  'use strict';
  var body = document.body;
  var LANG = body.dataset.lang === 'en' ? 'en' : 'zh';
  var DS = body.dataset.dataset || 'paper';
  var PAGE = body.dataset.page;
  var COLORS = ['#c0392b', '#1f77b4', '#2ca02c', '#9467bd', '#e67e22', '#17becf', '#8c564b', '#7f7f7f'];
  var LOCALE = LANG === 'en' ? 'en-US' : 'zh-CN';

  function T(zh, en) { return LANG === 'en' ? en : zh; }

  // qs builds a query string that keeps the page's language and dataset.
  function qs(params) {
    var p = new URLSearchParams(params || {});
    p.set('lang', LANG);
    if (DS && DS !== 'paper' && !p.has('dataset')) p.set('dataset', DS);
    return p.toString();
  }

  // token is the server's token, as entered on the data page or stored;
  // it is also set as a same-site cookie, which page loads and progress
  // streams (they cannot send headers) use to read uploaded data.
  function token() {
    var input = document.getElementById('token'), t = '';
    if (input && input.value) { t = input.value; try { localStorage.setItem('agglo-token', t); } catch (e) { /* private mode */ } }
    else { try { t = localStorage.getItem('agglo-token') || ''; } catch (e) { t = ''; } }
    if (t) document.cookie = 'agglo_token=' + encodeURIComponent(t) + '; path=/; SameSite=Strict';
    return t;
  }

  // api calls the JSON API and resolves with the decoded body; it rejects
  // with {status, error} on an error answer.
  function api(path, opts) {
    opts = opts || {};
    var headers = opts.headers || {};
    headers['Accept-Language'] = LANG;
    var t = token();
    if (t) headers['X-Agglo-Token'] = t;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(opts.json);
    }
    return fetch(path, { method: opts.method || 'GET', headers: headers, body: opts.body }).then(function (res) {
      if (res.status === 204) return null;
      // An error without agglo's JSON body (a proxy's page) is told in the
      // page's language, not by the HTTP reason phrase.
      var bare = function () { return { message: T('服务器返回错误（HTTP ' + res.status + '）', 'the server answered with an error (HTTP ' + res.status + ')') }; };
      return res.json().then(function (data) {
        if (!res.ok) throw { status: res.status, error: (data && data.error) || bare() };
        return data;
      }, function () {
        if (!res.ok) throw { status: res.status, error: bare() };
        return null;
      });
    });
  }

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  // fmt formats a number with at most d decimals (fewer for large
  // magnitudes) and thousands separators.
  function fmt(v, d) {
    if (v === null || v === undefined || (typeof v === 'number' && !isFinite(v))) return '—';
    if (typeof v !== 'number') return String(v);
    if (d === undefined) d = 2;
    var a = Math.abs(v);
    if (a >= 10000) d = 0; else if (a >= 100) d = Math.min(d, 1);
    return v.toLocaleString(LOCALE, { maximumFractionDigits: d, useGrouping: true });
  }
  function pct(v, d) { return v === null || v === undefined || !isFinite(v) ? '—' : fmt(v * 100, d === undefined ? 1 : d) + '%'; }

  function table(headers, rows, numeric) {
    var thead = el('thead', null, el('tr', null));
    headers.forEach(function (h, i) { thead.firstChild.appendChild(el('th', { text: h, class: numeric && numeric[i] ? 'num' : '' })); });
    var tbody = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (c, i) {
        var td = el('td', { class: numeric && numeric[i] ? 'num' : '' });
        if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? '' : String(c);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    return el('table', { class: 'data' }, thead, tbody);
  }

  function show(id, node) {
    var box = typeof id === 'string' ? document.getElementById(id) : id;
    if (!box) return;
    box.textContent = '';
    if (node) box.appendChild(node);
  }

  function errorText(err) {
    if (err && err.error && err.error.message) return err.error.message;
    return T('请求失败', 'request failed');
  }

  // chart returns the ECharts instance of the element id, drawn as SVG
  // (sharp when printed, and its labels can be checked).
  function chart(id, height) {
    var node = typeof id === 'string' ? document.getElementById(id) : id;
    if (!node || typeof echarts === 'undefined') return null;
    node.hidden = false;
    if (height) node.style.height = height + 'px';
    var c = echarts.getInstanceByDom(node);
    if (!c) {
      node.textContent = '';
      c = echarts.init(node, null, { renderer: 'svg' });
      window.addEventListener('resize', function () { c.resize(); });
    } else if (height) c.resize();
    return c;
  }

  // clearChart removes a chart, so that no old figure stays under a new
  // error.
  function clearChart(id) {
    var node = typeof id === 'string' ? document.getElementById(id) : id;
    if (!node) return;
    if (typeof echarts !== 'undefined') { var c = echarts.getInstanceByDom(node); if (c) c.dispose(); }
    node.textContent = '';
    if (node.hasAttribute('data-lazy')) node.hidden = true;
  }

  function note(text, cls) { return el('p', { class: cls || 'note', text: text }); }

  // catAxis gives a category axis whose labels are all shown and wrapped
  // to width pixels rather than dropped or clipped.
  function catLabels(width) {
    return { interval: 0, width: width || 110, overflow: 'break', lineHeight: 14, hideOverlap: false };
  }

  // hbar draws one indicator as horizontal bars: names on the left, one
  // unit on the value axis.
  function hbar(id, title, unit, names, values, color) {
    var c = chart(id, Math.max(200, 34 * names.length + 70));
    if (!c) return;
    c.setOption({
      title: { text: title, subtext: unit || '', left: 0, textStyle: { fontSize: 13 }, subtextStyle: { fontSize: 11 }, itemGap: 2 },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return fmt(v, 2) + (unit ? ' ' + unit : ''); } },
      grid: { left: 8, right: 48, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'value', splitNumber: 3, axisLabel: { formatter: function (v) { return fmt(v, 2); }, hideOverlap: true } },
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: catLabels(120) },
      series: [{ type: 'bar', data: values, itemStyle: { color: color || '#0b5fa5' }, label: { show: true, position: 'right', formatter: function (p) { return fmt(p.value, 2); } } }]
    }, true);
  }

  // aggNames resolves to a map from agglomeration code to name.
  var aggNamesPromise = null;
  function aggNames() {
    if (!aggNamesPromise) aggNamesPromise = api('/api/v1/agglomerations?' + qs()).then(function (aggs) {
      var m = {};
      (aggs || []).forEach(function (a) { m[a.code] = a.name; });
      return m;
    }, function () { return {}; });
    return aggNamesPromise;
  }

  function unitOf(ind) { return ind.unit_text !== undefined ? ind.unit_text : ind.unit; }

  // ---- shared: dataset selector (keeps the language) ----
  var sel = document.getElementById('dataset-select');
  if (sel) sel.addEventListener('change', function () {
    var p = new URLSearchParams(location.search);
    p.set('dataset', sel.value);
    p.set('lang', LANG);
    location.search = p.toString();
  });

  // chinaMap registers the vendored China map once and resolves with a
  // map from a province's code to its name on the map.
  var chinaMapPromise = null;
  function chinaMap() {
    if (!chinaMapPromise) chinaMapPromise = fetch('/vendor/china-map/china.json').then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap('china', geo);
      var names = {};
      (geo.features || []).forEach(function (f) { names[f.id] = f.properties && f.properties.name; });
      return names;
    });
    return chinaMapPromise;
  }

  // ---- overview ----
  function overview() {
    Promise.all([api('/api/v1/agglomerations?' + qs()), fetch('/vendor/china-map/china.json').then(function (r) { return r.json(); })]).then(function (res) {
      var aggs = res[0], geo = res[1];
      echarts.registerMap('china', geo);
      var c = chart('map');
      if (!c) return;
      // Member cities as points: an agglomeration covers its cities, not
      // the whole of its provinces.
      var series = aggs.map(function (a, i) {
        return {
          type: 'scatter', coordinateSystem: 'geo', name: a.name, symbolSize: 8,
          itemStyle: { color: COLORS[i % COLORS.length], borderColor: '#fff', borderWidth: 0.5 },
          data: a.member_details.filter(function (m) { return m.lon !== null && m.lon !== undefined; }).map(function (m) {
            return { name: LANG === 'en' ? m.name_en : m.name_zh, value: [m.lon, m.lat] };
          })
        };
      });
      c.setOption({
        tooltip: { trigger: 'item', formatter: function (p) { return p.seriesType === 'scatter' ? p.name + ' · ' + p.seriesName : ''; } },
        legend: { orient: 'vertical', left: 8, bottom: 8, textStyle: { fontSize: 13 } },
        geo: { map: 'china', roam: true, center: [110, 33], zoom: 1.5, silent: true, label: { show: false },
          itemStyle: { areaColor: '#eef1f4', borderColor: '#b4bec8' } },
        series: series
      }, true);
      c.on('click', function (p) { if (p.seriesType === 'scatter') location.href = '/agglomerations/' + aggs[p.seriesIndex].code + '?' + qs(); });
    }).catch(function (e) { clearChart('map'); show('map', note(errorText(e), 'error')); });

    api('/api/v1/observations?' + qs({ indicators: 'population_density,gdp_per_capita' })).then(function (t) {
      var names = t.regions.map(function (r) { return r.name; });
      [['overview-density', 0, '#0b5fa5'], ['overview-gdppc', 1, '#2ca02c']].forEach(function (x) {
        var ind = t.indicators[x[1]];
        if (!ind) { clearChart(x[0]); return; }
        hbar(x[0], ind.name, unitOf(ind), names, t.values.map(function (r) { return r[x[1]]; }), x[2]);
      });
    }).catch(function (e) { clearChart('overview-density'); clearChart('overview-gdppc'); show('overview-density', note(errorText(e), 'error')); });
  }

  // ---- profile ----
  var stageSources = function (s) {
    return { computed: T('按数据计算', 'computed from the data'), override: T('用户指定', 'set by the user'), paper: T('论文判断', "the paper's"), undetermined: T('无法判断', 'not determined') }[s] || s;
  };

  function profile() {
    var members = [];
    try { members = JSON.parse(document.getElementById('member-data').textContent) || []; } catch (e) { members = []; }
    var dims = ['cric_knowledge_creation', 'cric_knowledge_acquisition', 'cric_enterprise_innovation', 'cric_innovation_environment', 'cric_innovation_performance'];
    var names = {};
    members.forEach(function (m) { m.figures.forEach(function (f) { names[f.indicator] = f.name; }); });
    var present = dims.filter(function (d) { return names[d]; });
    if (members.length && present.length) {
      // One group of bars per dimension; dimension names on the left so
      // that they are never clipped.
      var c = chart('members-chart', Math.max(320, 44 * present.length * Math.min(members.length, 4) / 2 + 90));
      if (c) c.setOption({
        tooltip: { trigger: 'axis', valueFormatter: function (v) { return fmt(v, 2); } }, legend: { top: 0 },
        grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
        yAxis: { type: 'category', inverse: true, data: present.map(function (d) { return names[d]; }), axisLabel: catLabels(120) },
        xAxis: { type: 'value', axisLabel: { hideOverlap: true } },
        series: members.map(function (m) {
          var byInd = {};
          m.figures.forEach(function (f) { byInd[f.indicator] = f.value; });
          return { type: 'bar', name: m.name + (m.partial ? '*' : ''), data: present.map(function (d) { return byInd[d] === undefined ? null : byInd[d]; }) };
        })
      }, true);
    } else { clearChart('members-chart'); show('members-chart', note(T('该数据集没有成员省份的数据。', 'The dataset has no data on the member provinces.'), 'muted')); }

    var code = document.getElementById('profile-title').dataset.code;
    var box = document.getElementById('diagnosis');
    if (box.dataset.available !== 'true') { show('diagnosis', note(T('诊断功能尚未提供。', 'Diagnosis is not yet available.'))); }
    else api('/api/v1/diagnosis?' + qs({ agglomeration: code })).then(function (d) {
      show('diagnosis', renderDiagnosis(d));
    }).catch(function (e) { show('diagnosis', note(e.status === 501 ? T('诊断功能尚未提供。', 'Diagnosis is not yet available.') : errorText(e), e.status === 501 ? 'note' : 'error')); });

    var sbox = document.getElementById('strategies');
    if (sbox.dataset.available === 'true') {
      api('/api/v1/strategy?' + qs(), { method: 'POST', json: { dataset: DS, agglomeration: code } }).then(function (r) {
        show('strategies', renderStrategies(r));
      }).catch(function (e) { show('strategies', note(errorText(e), e.status === 501 ? 'note' : 'error')); });
    }
  }

  // labelOf returns a function naming a mode, level, stage or problem code
  // with the labels the API sent (owned by the diagnosis).
  function labelOf(labels) {
    return function (code) { var x = labels && labels[code]; return x ? (LANG === 'en' ? x.en : x.zh) : code; };
  }

  // tx picks a {zh, en} text of the API in the page's language.
  function tx(t) { return t ? (LANG === 'en' ? t.en : t.zh) || '' : ''; }
  // upper and lower set the case of an English text's first letter, for a
  // sentence or inside one (acronyms such as GDP, R&D, CRIC are kept).
  function upper(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }
  function lower(s) { return s && s.length > 1 && /[a-z]/.test(s.charAt(1)) ? s.charAt(0).toLowerCase() + s.slice(1) : s; }

  // renderDiagnosis shows every label of the diagnosis with its confidence
  // (uncertain with the split of its variants, or not assessable with the
  // reason and the data that would settle it), the siphon or spread of the
  // cores, the diagnosis' own sentences and the evidence.
  function renderDiagnosis(d) {
    var a = d.result.agglomerations[0];
    var name = labelOf(d.result.labels);
    var metric = function (m) { return (d.metric_names && d.metric_names[m]) || m; };
    var findings = {};
    (a.findings || []).forEach(function (f) { findings[f.axis] = f; });
    var frag = document.createDocumentFragment();
    var rows = [];
    var tagClass = { uncertain: 'tag uncertain', not_assessable: 'tag na' };
    var row = function (axis, f, override) {
      if (!f && !override) return;
      var text = override || tx(f.brief);
      var why = '';
      if (f && !override && f.status === 'uncertain') why = tx(f.reason);
      if (f && !override && f.status === 'not_assessable') why = tx(f.reason) + (f.needs && tx(f.needs) ? T('；所需数据：', '; data needed: ') + tx(f.needs) : '');
      rows.push([el('strong', { text: axis }), el('span', { class: (f && !override && tagClass[f.status]) || 'tag', 'data-status': f && !override ? f.status : 'override', text: text }), el('span', { class: 'reason', text: why })]);
    };
    var axis = function (x) { return upper((d.axis_names && d.axis_names[x]) || x); };
    row(axis('spatial_mode'), findings.spatial_mode);
    row(axis('flow'), findings.flow);
    row(axis('level'), findings.level);
    row(axis('openness_mode'), findings.openness_mode);
    row(axis('stage'), findings.stage, a.stage_source === 'override' ? name(a.stage) + T('（用户指定）', ' (set by the user)') : '');
    a.problems.forEach(function (p) { row(axis('problem:' + p.id), findings['problem:' + p.id]); });
    var ft = table([T('方面', 'Aspect'), T('结论（置信度）', 'Finding (confidence)'), T('说明', 'Why')], rows, [0, 0, 0]);
    ft.id = 'findings';
    frag.appendChild(ft);
    // Which data each axis was read from (city or province data, the
    // indicators and their years).
    if (a.data_text && tx(a.data_text)) frag.appendChild(el('p', { class: 'muted', id: 'data-resolution', text: T('数据：', 'Data: ') + tx(a.data_text) }));
    var below = d.result.uncertain_below;
    if (below) frag.appendChild(el('p', { class: 'muted', text: T('置信度是阈值、指标、空间单元与年份合理变动时给出同一结论的变体比例；低于 ', 'Confidence is the share of variants (thresholds, indicators, spatial unit, years varied) that give the same label; below ') + pct(below, 0) + T('（或证据单薄）标为“不确定”，并列出各变体的结论及个数。', ' (or on thin evidence) a label is shown as uncertain, with the labels the variants give and their numbers.') }));
    if (a.narrative && a.narrative.length) {
      frag.appendChild(el('h3', { text: T('分析', 'Analysis') }));
      var ul = el('ul', { id: 'narrative', class: 'narrative' });
      // The diagnosis' notes restate reasons its sentences give: a
      // sentence already said is not repeated.
      var said = [];
      a.narrative.forEach(function (n) {
        var t = tx(n), core = t.replace(/[。.]\s*$/, '').trim();
        if (!core || said.some(function (x) { return x.indexOf(core) >= 0; })) return;
        said.push(t);
        ul.appendChild(el('li', { text: t }));
      });
      frag.appendChild(ul);
    }
    var ev = [];
    [['spatial_evidence', T('空间模式', 'spatial mode')], ['level_evidence', T('发展水平', 'level')], ['openness_evidence', T('开放模式', 'openness')], ['stage_evidence', T('发展阶段', 'stage')]].forEach(function (k) {
      (a[k[0]] || []).forEach(function (e) {
        var th = e.op === 'max' ? '' : e.op + ' ' + fmt(e.threshold, 3);
        ev.push([k[1], (e.name && tx(e.name)) || metric(e.metric), fmt(e.value, 3), th, e.op === 'max' ? '' : (e.met ? '✓' : '✗')]);
      });
    });
    if (ev.length) {
      frag.appendChild(el('h3', { text: T('证据', 'Evidence') }));
      frag.appendChild(table([T('方面', 'Axis'), T('指标', 'Metric'), T('数值', 'Value'), T('阈值', 'Threshold'), T('满足', 'Met')], ev, [0, 0, 1, 0, 0]));
    }
    return frag;
  }

  // renderStrategies lists the engine's resolved recommendations in its
  // order (the first is the top one), each with its source, reasons and
  // measures with the indicators to monitor and their direction, then the
  // recommendations set aside because they pushed the other way, and why.
  function renderStrategies(r) {
    var frag = document.createDocumentFragment();
    var aggs = (r && r.result && r.result.agglomerations) || [];
    var modeName = labelOf(r && r.result && r.result.labels);
    var src = function (s) { return (r.source_text && r.source_text[s]) || ''; };
    var mon = function (m) { return (r.monitor_text && r.monitor_text[m.indicator + '|' + m.direction]) || ''; };
    var mode = function (m) { return !m || m === 'undetermined' ? T('无明确方向', 'no direction') : modeName(m); };
    aggs.forEach(function (a) {
      frag.appendChild(el('p', { class: 'modes' },
        el('strong', { text: T('推荐模式：', 'Recommended modes: ') }),
        el('span', { class: 'tag', id: 'rec-spatial', text: mode(a.recommended_spatial_mode) }),
        el('span', { class: 'tag', id: 'rec-openness', text: mode(a.recommended_openness_mode) }),
        el('span', { class: 'muted', text: T('  阶段：', '  stage: ') + (a.stage === 'undetermined' ? T('无法评估', 'not assessable') : modeName(a.stage) + T('（', ' (') + stageSources(a.stage_source) + T('）', ')')) })));
      if (r.result.scenario_text) frag.appendChild(el('p', { class: 'muted', text: T('情景：', 'Scenario: ') + tx(r.result.scenario_text) }));
      if (!a.recommendations.length) frag.appendChild(el('p', { class: 'muted', text: T('该情景下没有规则触发。', 'No rule fires in this scenario.') }));
      var ol = el('ol', { class: 'recs' });
      a.recommendations.forEach(function (rec, i) {
        var measures = el('ul');
        (rec.measures || []).forEach(function (m) {
          var ms = (m.monitor || []).map(mon).filter(function (x) { return x; }).map(lower);
          measures.appendChild(el('li', null, el('span', { text: tx(m.text) }), ms.length ? el('span', { class: 'reason monitor', text: T('（监测：', ' (monitor: ') + ms.join(T('、', '; ')) + T('）', ')') }) : null));
        });
        ol.appendChild(el('li', { 'data-rule': rec.id },
          el('strong', { text: LANG === 'en' ? rec.title_en : rec.title_zh }),
          i === 0 ? el('span', { class: 'tag first', text: T('首要', 'first') }) : null,
          el('span', { class: 'muted', text: T('（', ' (') + src(rec.source) + T('，优先级 ', ', priority ') + rec.priority + T('）', ')') }),
          el('p', { class: 'reason', text: T('理由：', 'Why: ') + (LANG === 'en' ? rec.rationale_en : rec.rationale_zh) }),
          rec.because ? el('p', { class: 'reason', text: upper(tx(rec.because)) }) : null,
          measures));
      });
      frag.appendChild(ol);
      if ((a.conflicts || []).length) {
        frag.appendChild(el('h3', { text: T('未采纳的备选（方向相反）', 'Set aside (pushing the other way)') }));
        var ul = el('ul', { class: 'conflicts', id: 'conflicts' });
        a.conflicts.forEach(function (c) { ul.appendChild(el('li', { 'data-alternative': c.alternative, text: tx(c.reason) })); });
        frag.appendChild(ul);
      }
    });
    return frag;
  }

  // ---- compare ----
  function compare() {
    var list = document.getElementById('indicator-list');
    var scope = document.getElementById('compare-scope');
    var yearSel = document.getElementById('compare-year');
    var form = document.getElementById('compare-form');
    var exportLink = document.getElementById('compare-export');
    var charts = document.getElementById('compare-charts');
    function params() {
      var inds = Array.prototype.map.call(list.querySelectorAll('input:checked'), function (i) { return i.value; });
      var p = { indicators: inds.join(',') };
      if (scope.value) p.members = scope.value;
      if (yearSel.value) p.year = yearSel.value;
      return p;
    }
    function clearCharts() {
      Array.prototype.forEach.call(charts.querySelectorAll('.chart'), clearChart);
      charts.textContent = '';
    }
    var latest = 0;
    function run() {
      var p = params(), mine = ++latest;
      exportLink.href = '/api/v1/observations?' + qs(Object.assign({ format: 'xlsx' }, p));
      if (!p.indicators) { clearCharts(); show('compare-table', note(T('请至少选择一个指标。', 'Choose at least one indicator.'), 'muted')); return; }
      api('/api/v1/observations?' + qs(p)).then(function (t) {
        if (mine !== latest) return;
        var heads = [T('地区', 'Region')].concat(t.indicators.map(function (i) { var u = unitOf(i); return i.name + (u ? T('（', ' (') + u + T('）', ')') : ''); }));
        var rows = t.regions.map(function (r, i) { return [r.name].concat(t.values[i].map(function (v) { return fmt(v, 2); })); });
        show('compare-table', table(heads, rows, heads.map(function (_, i) { return i > 0; })));
        // One chart per unit: indicators of different units never share
        // an axis.
        clearCharts();
        var byUnit = {}, order = [];
        t.indicators.forEach(function (ind, j) {
          var u = unitOf(ind) || '';
          if (!byUnit[u]) { byUnit[u] = []; order.push(u); }
          byUnit[u].push(j);
        });
        document.getElementById('compare-note').hidden = order.length < 2;
        var names = t.regions.map(function (r) { return r.name; });
        order.forEach(function (u, k) {
          var node = el('div', { class: 'chart', id: 'compare-chart-' + k });
          charts.appendChild(node);
          var idx = byUnit[u];
          var c = chart(node, Math.max(240, names.length * (14 + 12 * idx.length) + 90));
          if (!c) return;
          c.setOption({
            title: { text: u ? T('单位：', 'Unit: ') + u : T('无单位', 'No unit'), left: 0, textStyle: { fontSize: 13 } },
            tooltip: { trigger: 'axis', valueFormatter: function (v) { return fmt(v, 2); } },
            legend: { top: 0, right: 0 },
            grid: { left: 8, right: 40, top: 40, bottom: 8, containLabel: true },
            yAxis: { type: 'category', inverse: true, data: names, axisLabel: catLabels(140) },
            xAxis: { type: 'value', axisLabel: { formatter: function (v) { return fmt(v, 2); }, hideOverlap: true } },
            series: idx.map(function (j) { return { type: 'bar', name: t.indicators[j].name, data: t.values.map(function (r) { return r[j]; }) }; })
          }, true);
        });
      }).catch(function (e) {
        if (mine !== latest) return;
        clearCharts();
        show('compare-table', note(errorText(e), 'error'));
      });
    }
    api('/api/v1/indicators?' + qs()).then(function (inds) {
      var years = {};
      inds.forEach(function (ind) {
        (ind.years || []).forEach(function (y) { years[y] = true; });
        var cb = el('input', { type: 'checkbox', value: ind.code, name: 'indicator' });
        if (ind.code === 'population_density' || ind.code === 'gdp_per_capita') cb.checked = true;
        list.appendChild(el('label', null, cb, ' ' + ind.name));
      });
      Object.keys(years).map(Number).sort(function (a, b) { return b - a; }).forEach(function (y) {
        yearSel.appendChild(el('option', { value: String(y), text: String(y) }));
      });
      if (!list.querySelector('input:checked') && list.querySelector('input')) list.querySelector('input').checked = true;
      run();
    }).catch(function (e) { show('compare-table', note(errorText(e), 'error')); });
    form.addEventListener('submit', function (ev) { ev.preventDefault(); run(); });
    scope.addEventListener('change', run);
    yearSel.addEventListener('change', run);
  }

  // ---- measures ----
  function measures() {
    var form = document.getElementById('measure-form');
    var method = document.getElementById('m-method'), ind = document.getElementById('m-indicator');
    var group = document.getElementById('m-group'), year = document.getElementById('m-year');
    var top = document.getElementById('m-top'), inputs = document.getElementById('m-inputs'), outputs = document.getElementById('m-outputs');
    var returns = document.getElementById('m-returns');
    var errBox = document.getElementById('measure-error');
    var fromSel = document.getElementById('m-from'), toSel = document.getElementById('m-to');
    var wKind = document.getElementById('m-weights-kind'), wParam = document.getElementById('m-weights-param');
    var sources = document.getElementById('m-sources'), framework = document.getElementById('m-framework');
    var netP = document.getElementById('m-net-p'), netG = document.getElementById('m-net-g'), netThreshold = document.getElementById('m-net-threshold');
    var indNames = {};
    var SPATIAL = ['moran', 'geary', 'lisa', 'getis-ord'];
    // NEW are the methods whose sentence is the analysis' own summary.
    var NEW = SPATIAL.concat(['convergence', 'dagum', 'gini-sources', 'kernel', 'obstacle', 'atkinson', 'network']);
    function hide(id, h) { document.getElementById(id).hidden = h; }
    function layout() {
      var m = method.value, dea = m === 'dea', spatial = SPATIAL.indexOf(m) >= 0;
      var noIndicator = dea || m === 'gini-sources' || m === 'obstacle' || m === 'network';
      hide('m-dea', !dea);
      hide('m-network', m !== 'network');
      hide('m-net-value-label', netThreshold.value !== 'value');
      hide('m-sources-box', m !== 'gini-sources');
      hide('m-indicator-label', noIndicator);
      hide('m-group-label', dea || spatial || ['rank-size', 'kernel', 'obstacle', 'gini-sources', 'network'].indexOf(m) >= 0);
      hide('m-year-label', m === 'convergence' || (m === 'kernel' && document.getElementById('m-panel').checked));
      hide('m-from-label', m !== 'convergence');
      hide('m-to-label', m !== 'convergence');
      hide('m-panel-label', m !== 'kernel');
      hide('m-top-label', m !== 'top-share' && m !== 'rank-size');
      hide('m-epsilon-label', m !== 'atkinson');
      hide('m-framework-label', m !== 'obstacle');
      hide('m-spatial', !spatial);
      hide('m-perms-label', m === 'getis-ord');
      hide('m-seed-label', m === 'getis-ord');
      hide('m-star-label', m !== 'getis-ord');
    }
    // A weights kind brings its usual parameter: 6 neighbours, 300 km, power 1.
    wKind.addEventListener('change', function () { wParam.value = { knn: 6, distance: 300, idw: 1 }[wKind.value]; });
    function picked(s) { return Array.prototype.filter.call(s.options, function (o) { return o.selected; }).map(function (o) { return o.value; }); }
    // epoch counts the results shown: a drawing that waits for the map or
    // the names draws only if no other result came since.
    var epoch = 0;
    function clearResult() {
      epoch++;
      show('measure-table', null); clearChart('measure-chart'); show('measure-extra', null);
      document.getElementById('measure-chart').hidden = false;
      document.getElementById('measure-chart').style.height = '';
      ['measure-sentence', 'measure-formula'].forEach(function (id) { document.getElementById(id).textContent = ''; });
      show('measure-notes', null);
    }
    var latest = 0;
    function run() {
      layout();
      var m = method.value, p = {}, mine = ++latest;
      if (m === 'dea') {
        p.inputs = picked(inputs).join(','); p.outputs = picked(outputs).join(','); p.returns = returns.value;
        if (!p.inputs || !p.outputs) {
          clearResult(); errBox.hidden = true; errBox.textContent = '';
          show('measure-table', note(T('请至少选择一个投入和一个产出指标。', 'Choose at least one input and one output.'), 'muted'));
          document.getElementById('measure-result').dataset.method = m;
          return;
        }
      } else if (m === 'gini-sources') {
        p.indicators = picked(sources).join(',');
        if (picked(sources).length < 2) {
          clearResult(); errBox.hidden = true; errBox.textContent = '';
          show('measure-table', note(T('请至少选择两个来源指标。', 'Choose at least two source indicators.'), 'muted'));
          document.getElementById('measure-result').dataset.method = m;
          return;
        }
      } else if (m === 'network') {
        // The gravity matrix of two masses; communities against the
        // agglomerations.
        p.indicators = netP.value + ',' + netG.value;
        p.mode = document.getElementById('m-net-mode').value;
        p.threshold = netThreshold.value === 'value' ? (document.getElementById('m-net-value').value || '0') : netThreshold.value;
        p.group = 'agglomeration';
      } else if (m !== 'obstacle') {
        p.indicator = ind.value;
        if (group.value && !document.getElementById('m-group-label').hidden) p.group = group.value;
        // Williamson's index weights each region by its population.
        if (m === 'williamson') p.weight = 'population';
      }
      if (year.value && !document.getElementById('m-year-label').hidden) p.year = year.value;
      if ((m === 'top-share' || m === 'rank-size') && top.value) p.top = top.value;
      if (SPATIAL.indexOf(m) >= 0) {
        p['spatial-weights'] = wKind.value + ':' + wParam.value;
        p.transform = document.getElementById('m-transform').value || (m === 'getis-ord' ? 'binary' : 'row');
        if (m === 'getis-ord') { if (document.getElementById('m-star').checked) p.star = 'true'; }
        else { p.permutations = document.getElementById('m-perms').value || '0'; p.seed = document.getElementById('m-seed').value || '1'; }
      }
      if (m === 'convergence') { if (fromSel.value) p.from = fromSel.value; if (toSel.value) p.to = toSel.value; }
      if (m === 'kernel' && document.getElementById('m-panel').checked) p.panel = 'true';
      if (m === 'atkinson') p.epsilon = document.getElementById('m-epsilon').value || '0.5';
      if (m === 'obstacle' && framework.value) p.framework = framework.value;
      api('/api/v1/measures/' + encodeURIComponent(m) + '?' + qs(p)).then(function (r) {
        if (mine !== latest) return;
        errBox.hidden = true; errBox.textContent = '';
        renderMeasure(r, p);
        document.getElementById('measure-result').dataset.method = m;
      }).catch(function (e) {
        if (mine !== latest) return;
        clearResult();
        errBox.textContent = errorText(e); errBox.hidden = false;
        document.getElementById('measure-result').dataset.method = m;
      });
    }
    function keyName(r, k) { return (r.key_names && r.key_names[k]) || k; }
    function renderMeasure(r, p) {
      clearResult();
      var special = { moran: renderGlobal, geary: renderGlobal, lisa: renderLocal, 'getis-ord': renderLocal, convergence: renderConvergence,
        dagum: renderDagum, kernel: renderKernel, obstacle: renderObstacle, 'gini-sources': renderSources, network: renderNetwork }[r.method];
      if (special) {
        special(r);
        finish(r);
        return;
      }
      var indName = indNames[r.indicator] || r.indicator || '';
      var rows = [], heads, numeric, chartNames = [], chartValues = [];
      if (r.method === 'dea') {
        heads = [T('地区', 'Region'), T('效率', 'Efficiency'), T('规模效率', 'Scale efficiency')];
        var units = (r.units || []).slice().sort(function (a, b) { return (b.efficiency || 0) - (a.efficiency || 0); });
        units.forEach(function (u) { rows.push([u.name, fmt(u.efficiency, 3), fmt(u.scale_efficiency, 3)]); chartNames.push(u.name); chartValues.push(u.efficiency); });
        numeric = [0, 1, 1];
      } else if (r.groups && r.groups.length && r.between !== undefined && r.between !== null) {
        // A decomposition: the total, its between and within parts, then
        // each group's contribution.
        heads = [T('项目', 'Item'), T('数值', 'Value'), T('占总值', 'Share of the total')];
        rows.push([r.method_name + T('（总）', ' (total)'), fmt(r.value, 4), '100%']);
        rows.push([T('组间差异', 'Between groups'), fmt(r.between, 4), pct(r.between / r.value)]);
        rows.push([T('组内差异', 'Within groups'), fmt(r.within, 4), pct(r.within / r.value)]);
        r.groups.forEach(function (g) {
          rows.push([T('　其中 ', '  of which ') + (g.name || g.group) + T('（', ' (') + g.n + T(' 个单元，组内指数 ', ' units, index ') + fmt(g.value, 4) + T('）', ')'), fmt(g.contribution, 4), pct(g.share)]);
          chartNames.push(g.name || g.group);
          chartValues.push(g.share * 100);
        });
        numeric = [0, 1, 1];
      } else if (r.groups && r.groups.length) {
        var hasShare = r.groups.some(function (g) { return g.share !== undefined && g.share !== null; });
        var hasValue = r.groups.some(function (g) { return g.value !== null && g.value !== undefined; });
        var keys = [];
        r.groups.forEach(function (g) { Object.keys(g.measures || {}).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
        keys.sort();
        heads = [T('分组', 'Group'), T('单元数', 'Units')];
        if (hasValue) heads.push(r.method_name);
        if (hasShare) heads.push(T('贡献率', 'Share of the total'));
        keys.forEach(function (k) { heads.push(keyName(r, k)); });
        r.groups.forEach(function (g) {
          var row = [g.name || g.group, g.n];
          if (hasValue) row.push(fmt(g.value, 4));
          if (hasShare) row.push(pct(g.share));
          keys.forEach(function (k) { row.push(fmt(g.measures[k], 4)); });
          rows.push(row);
          chartNames.push(g.name || g.group);
          chartValues.push(hasShare ? g.share * 100 : g.value);
        });
        numeric = heads.map(function (_, i) { return i > 0; });
      } else {
        heads = [T('项目', 'Item'), T('数值', 'Value')];
        rows.push([r.method_name, fmt(r.value, 4)]);
        Object.keys(r.stats || {}).sort().forEach(function (k) { rows.push([keyName(r, k), fmt(r.stats[k], 4)]); });
        numeric = [0, 1];
      }
      var summary = [T('指标', 'Indicator') + T('：', ': ') + (indName || (p.inputs ? p.inputs + ' → ' + p.outputs : '')), T('年份', 'Year') + T('：', ': ') + (r.year || '—'), T('单元数', 'Units') + T('：', ': ') + r.n];
      var box = el('div', null, el('p', { class: 'muted', text: summary.join(T('；', '; ')) }), table(heads, rows, numeric));
      show('measure-table', box);
      if (chartNames.length) {
        var unit = r.groups && r.groups.some(function (g) { return g.share !== undefined && g.share !== null; }) ? T('贡献率 %', 'share of the total, %') : r.method_name;
        hbar('measure-chart', r.method_name, unit, chartNames, chartValues, '#0b5fa5');
      }
      if (!chartNames.length) document.getElementById('measure-chart').hidden = true;
      document.getElementById('measure-sentence').textContent = NEW.indexOf(r.method) >= 0 && r.summary ? r.summary : interpret(r, indName);
      document.getElementById('measure-formula').textContent = r.formula_text || r.formula || '';
      var notes = document.createDocumentFragment();
      (r.notes || []).concat(r.warnings || []).forEach(function (n) { notes.appendChild(el('li', { text: n })); });
      show('measure-notes', notes);
    }
    // finish writes the analysis' summary sentence, the formula and the
    // notes of a result.
    function finish(r) {
      document.getElementById('measure-sentence').textContent = r.summary || '';
      document.getElementById('measure-formula').textContent = r.formula_text || r.formula || '';
      var notes = document.createDocumentFragment();
      (r.notes || []).concat(r.warnings || []).forEach(function (n) { notes.appendChild(el('li', { text: n })); });
      show('measure-notes', notes);
    }
    function fmtP(v) { return v === null || v === undefined ? '—' : (v < 0.001 ? '< 0.001' : fmt(v, 3)); }
    function fmtN(v, d) { return v === null || v === undefined || !isFinite(v) ? '—' : v.toLocaleString(LOCALE, { minimumFractionDigits: d, maximumFractionDigits: d }); }
    function noChart() { clearChart('measure-chart'); document.getElementById('measure-chart').hidden = true; }
    // settings describes the data and the spatial settings of a result.
    function settings(r) {
      var parts = [];
      var indName = indNames[r.indicator] || r.indicator;
      if (indName) parts.push(T('指标：', 'Indicator: ') + indName);
      if (r.year) parts.push(T('年份：', 'Year: ') + r.year);
      if (r.from && r.to) parts.push(T('期间：', 'Period: ') + r.from + '—' + r.to);
      parts.push(T('单元数：', 'Units: ') + r.n);
      var w = r.spatial_weights;
      if (w) {
        var kind = { knn: T('最近的 ' + w.k + ' 个邻居', w.k + ' nearest neighbours'), distance: T(fmt(w.km, 1) + ' 千米以内', 'within ' + fmt(w.km, 1) + ' km'), idw: T('反距离权重，幂 ' + fmt(w.power, 2), 'inverse distance, power ' + fmt(w.power, 2)) }[w.kind];
        var tr = { row: T('行标准化', 'row-standardised'), binary: T('二值', 'binary'), none: T('原始权重', 'raw') }[w.transform] || '';
        parts.push(T('空间权重：', 'Spatial weights: ') + kind + T('，', ', ') + tr);
      }
      if (r.permutations) parts.push(T('置换 ', '') + r.permutations + T(' 次，随机种子 ', ' permutations, seed ') + r.seed);
      return el('p', { class: 'muted', text: parts.join(T('；', '; ')) });
    }
    function renderGlobal(r) {
      var heads = [T('统计量', 'Statistic'), T('数值', 'Value'), T('期望值', 'Expected'), T('z 值（正态近似）', 'z (normal)'), T('p 值（正态近似）', 'p (normal)'), T('p 值（置换检验）', 'p (permutations)')];
      var row = [r.method_name, fmt(r.value, 4), fmt(r.expected, 4), fmt(r.z, 2), fmtP(r.p_norm), r.permutations ? fmtP(r.p_sim) : '—'];
      show('measure-table', el('div', null, settings(r), table(heads, [row], [0, 1, 1, 1, 1, 1])));
      noChart();
    }
    // CLASSES are the classes of the local statistics with their colours.
    var CLASSES = {
      lisa: [['HH', T('高-高（热点）', 'High-high (hot spot)'), '#c0392b'], ['LL', T('低-低（冷点）', 'Low-low (cold spot)'), '#2166ac'],
        ['LH', T('低-高（异常值）', 'Low-high (outlier)'), '#92c5de'], ['HL', T('高-低（异常值）', 'High-low (outlier)'), '#f4a582'], ['ns', T('不显著', 'Not significant'), '#c5ccd4']],
      'getis-ord': [['hot', T('热点', 'Hot spot'), '#c0392b'], ['cold', T('冷点', 'Cold spot'), '#2166ac'], ['ns', T('不显著', 'Not significant'), '#c5ccd4']]
    };
    function renderLocal(r) {
      var classes = CLASSES[r.method], idx = {};
      classes.forEach(function (c, i) { idx[c[0]] = i; });
      var cls = function (u) { return idx[u.cluster] !== undefined ? idx[u.cluster] : classes.length - 1; };
      var lisa = r.method === 'lisa';
      var units = (r.units || []).slice().sort(function (a, b) { return cls(a) - cls(b) || Math.abs(b.z || 0) - Math.abs(a.z || 0); });
      var sig = units.filter(function (u) { return cls(u) < classes.length - 1; });
      var heads = [T('地区', 'Region'), lisa ? T('局部莫兰指数', 'Local Moran') : 'Gi', lisa ? T('标准化值', 'Standardised value') : T('z 值', 'z'), lisa ? T('p 值（置换）', 'p (permutations)') : T('p 值', 'p'), T('类型', 'Type')];
      // Every unit of a small set (provinces); of a large one the
      // significant units and a count of the others.
      var listed = units.length <= 40 ? units : sig;
      var rows = listed.map(function (u) { return [u.name || u.unit, fmt(u.value, 4), fmt(u.z, 2), fmtP(lisa ? u.p_sim : u.p), classes[cls(u)][1]]; });
      if (listed.length < units.length) rows.push([T('其余地区', 'Other regions'), '', '', '', classes[classes.length - 1][1] + T('（', ' (') + (units.length - sig.length) + T(' 个）', ')')]);
      show('measure-table', el('div', null, settings(r), el('div', { class: 'scroll-box' }, table(heads, rows, [0, 1, 1, 1, 0]))));
      var box = document.getElementById('measure-chart');
      box.style.height = '520px';
      var mine = epoch;
      chinaMap().then(function (geoNames) {
        if (mine !== epoch) return;
        var c = chart('measure-chart');
        if (!c) return;
        var counts = classes.map(function () { return 0; });
        units.forEach(function (u) { counts[cls(u)]++; });
        var regions = r.level === 'province', data = [];
        units.forEach(function (u) {
          if (regions) data.push({ name: geoNames[u.unit] || u.name, value: cls(u), unit: u.name });
          else if (u.lon !== undefined && u.lat !== undefined) data.push({ name: u.name, value: [u.lon, u.lat, cls(u)], unit: u.name });
        });
        c.setOption({
          animation: false,
          tooltip: { trigger: 'item', formatter: function (it) {
            var d = it.data || {}, k = Array.isArray(d.value) ? d.value[2] : d.value;
            return k === undefined || k === null ? '' : (d.unit || it.name) + ' · ' + classes[k][1];
          } },
          visualMap: { type: 'piecewise', orient: 'vertical', inverse: true, left: 8, bottom: 8, seriesIndex: 0, selectedMode: false, itemWidth: 14, itemHeight: 10,
            dimension: regions ? undefined : 2, pieces: classes.map(function (c, i) { return { value: i, label: c[1] + ' (' + counts[i] + ')', color: c[2] }; }) },
          geo: { map: 'china', roam: true, center: [104.5, 36.5], zoom: 1.05, label: { show: false },
            itemStyle: { areaColor: '#f7f8fa', borderColor: '#a9b4c0' }, emphasis: { label: { show: false } } },
          series: regions ? [{ type: 'map', map: 'china', geoIndex: 0, data: data }] :
            [{ type: 'scatter', coordinateSystem: 'geo', symbolSize: data.length > 150 ? 6 : 9, itemStyle: { borderColor: '#fff', borderWidth: 0.5 }, data: data }]
        }, true);
      }).catch(function (e) { clearChart('measure-chart'); show('measure-chart', note(errorText(e), 'error')); });
    }
    // lineChart draws series over years (categories) or over x values.
    function lineChart(title, unit, cats, series, xs, hideValues) {
      var c = chart('measure-chart', 360);
      if (!c) return;
      var numeric = !!xs;
      c.setOption({
        animation: false, color: COLORS,
        title: { text: title, subtext: unit || '', left: 0, textStyle: { fontSize: 13 }, subtextStyle: { fontSize: 11 }, itemGap: 2 },
        tooltip: { trigger: 'axis', valueFormatter: hideValues ? function () { return ''; } : function (v) { return fmt(v, 4); } },
        legend: { top: 36, type: 'scroll' },
        grid: { left: numeric ? 40 : 12, right: numeric ? 48 : 24, top: 72, bottom: 8, containLabel: true },
        xAxis: numeric ? { type: 'value', scale: true, axisLabel: { hideOverlap: true, formatter: function (v) { return fmt(v, 2); } } } :
          { type: 'category', boundaryGap: false, data: cats, axisLabel: { interval: 0, hideOverlap: false } },
        yAxis: { type: 'value', scale: !hideValues, axisLabel: hideValues ? { show: false } : { formatter: function (v) { return fmt(v, 2); } } },
        series: series.map(function (s) { return { type: 'line', name: s.name, showSymbol: !numeric, data: numeric ? s.data.map(function (y, i) { return [xs[i], y]; }) : s.data }; })
      }, true);
    }
    function renderConvergence(r) {
      var sig = r.sigma || [];
      var heads = [T('年份', 'Year'), T('地区数', 'Regions'), T('对数标准差 σ', 'σ of the logarithms'), T('变异系数', 'Coefficient of variation')];
      show('measure-table', el('div', null, settings(r), table(heads, sig.map(function (y) { return [String(y.year), y.n, fmtN(y.value, 4), fmtN(y.cv, 4)]; }), [0, 1, 1, 1])));
      lineChart(T('σ 与变异系数', 'σ and coefficient of variation'), '', sig.map(function (y) { return String(y.year); }),
        [{ name: T('对数标准差 σ', 'σ of the logarithms'), data: sig.map(function (y) { return y.value; }) }, { name: T('变异系数', 'Coefficient of variation'), data: sig.map(function (y) { return y.cv; }) }]);
      var bh = [T('范围', 'Scope'), T('地区数', 'Regions'), T('β 系数', 'β'), T('标准误', 'Standard error'), T('p 值', 'p'), 'R²', T('收敛速度（%/年）', 'Rate (% a year)'), T('半衰期（年）', 'Half-life (years)')];
      var brow = function (name, n, b) {
        if (!b) return [name, n, '—', '—', '—', '—', '—', '—'];
        return [name, n, fmtN(b.coefficient, 4), fmtN(b.se, 4), fmtP(b.p), fmtN(b.r2, 3), fmtN(b.rate === null ? null : 100 * b.rate, 2), fmtN(b.half_life, 1)];
      };
      var rows = [brow(T('全部地区', 'All regions'), r.beta ? r.beta.n : r.n, r.beta)];
      (r.clubs || []).forEach(function (c) { rows.push(brow(c.name || c.group, c.n, c.beta)); });
      show('measure-extra', el('div', null, el('h2', { text: T('β 收敛（含按城市群的俱乐部收敛）', 'β-convergence (with clubs by agglomeration)') }), table(bh, rows, [0, 1, 1, 1, 1, 1, 1, 1])));
    }
    function renderDagum(r) {
      var g = r.value || 0;
      var parts = [[T('组内差异', 'Within groups'), r.within], [T('组间净差异', 'Net between groups'), r.between], [T('超变密度', 'Transvariation'), r.transvariation]];
      var rows = parts.map(function (x) { return [x[0], fmt(x[1], 4), pct(x[1] / g)]; });
      rows.push([T('总体基尼系数', 'Gini coefficient'), fmt(g, 4), '100%']);
      var names = {};
      (r.groups || []).forEach(function (x) { names[x.group] = x.name || x.group; });
      var gh = [T('城市群', 'Agglomeration'), T('成员数', 'Members'), T('组内基尼系数', 'Gini within'), T('贡献率', 'Share of the total')];
      var grows = (r.groups || []).map(function (x) { return [names[x.group], x.n, x.n > 1 ? fmt(x.value, 4) : '—', pct(x.share)]; });
      show('measure-table', el('div', null, settings(r), table([T('来源', 'Component'), T('数值', 'Value'), T('贡献率', 'Share')], rows, [0, 1, 1]), table(gh, grows, [0, 1, 1, 1])));
      hbar('measure-chart', T('各部分的贡献率', 'Shares of the components'), '%', parts.map(function (x) { return x[0]; }), parts.map(function (x) { return 100 * x[1] / g; }), '#0b5fa5');
      // The pairwise between-group Gini as a heat table, the within-group
      // Gini on the diagonal.
      var gs = r.groups || [], at = {};
      (r.pairs || []).forEach(function (x) { at[x.a + '|' + x.b] = x.value; at[x.b + '|' + x.a] = x.value; });
      var all = [];
      gs.forEach(function (a) { gs.forEach(function (b) { var v = a.group === b.group ? (a.n > 1 ? a.value : null) : at[a.group + '|' + b.group]; if (v !== null && v !== undefined) all.push(v); }); });
      var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
      var shade = function (v) {
        if (v === null || v === undefined || !(hi > lo)) return '';
        var f = (v - lo) / (hi - lo), mix = function (a, b) { return Math.round(a + f * (b - a)); };
        return 'rgb(' + mix(255, 239) + ',' + mix(247, 138) + ',' + mix(243, 98) + ')';
      };
      var ht = table([T('城市群', 'Agglomeration')].concat(gs.map(function (x) { return names[x.group]; })), gs.map(function (a) {
        return [names[a.group]].concat(gs.map(function (b) { var v = a.group === b.group ? (a.n > 1 ? a.value : null) : at[a.group + '|' + b.group]; return fmt(v, 4); }));
      }), [0].concat(gs.map(function () { return 1; })));
      Array.prototype.forEach.call(ht.querySelectorAll('tbody tr'), function (tr, i) {
        Array.prototype.forEach.call(tr.querySelectorAll('td'), function (td, j) {
          if (j === 0) return;
          var a = gs[i], b = gs[j - 1], v = a.group === b.group ? (a.n > 1 ? a.value : null) : at[a.group + '|' + b.group];
          td.style.background = shade(v);
        });
      });
      if (gs.length > 1) show('measure-extra', el('div', null, el('h2', { text: T('城市群内与城市群间的基尼系数（对角线为组内）', 'Gini within (diagonal) and between agglomerations') }), ht));
    }
    function renderKernel(r) {
      var ds = r.densities || [];
      var heads = [T('年份', 'Year'), T('地区数', 'Regions'), T('带宽', 'Bandwidth'), T('峰数', 'Peaks'), T('峰的位置', 'Peaks at')];
      show('measure-table', el('div', null, settings(r), table(heads, ds.map(function (d) {
        return [String(d.year), d.n, fmt(d.bandwidth, 2), (d.peaks || []).length, (d.peaks || []).map(function (x) { return fmt(x, 2); }).join(T('、', ', '))];
      }), [0, 1, 1, 1, 0])));
      // At most five years: the first, the last and three between.
      var pick = ds.map(function (_, i) { return i; });
      if (ds.length > 5) pick = [0, 1, 2, 3, 4].map(function (k) { return Math.round(k * (ds.length - 1) / 4); });
      if (!ds.length) { noChart(); return; }
      lineChart(T('核密度曲线', 'Kernel density curves'), T('密度', 'density'), null, pick.map(function (i) { return { name: String(ds[i].year), data: ds[i].y }; }), ds[0].x, true);
    }
    function renderObstacle(r) {
      var mine = epoch;
      aggNames().then(function (groups) {
        if (mine !== epoch) return;
        var heads = [T('地区', 'Region'), T('城市群', 'Agglomeration'), T('第一障碍', 'First obstacle'), T('第二障碍', 'Second obstacle'), T('第三障碍', 'Third obstacle')];
        var ob = function (o) { return o ? o.name + T('（', ' (') + fmt(o.degree, 1) + '%' + T('）', ')') : '—'; };
        var count = {}, order = [];
        var rows = (r.units || []).filter(function (u) { return (u.obstacles || []).length; }).map(function (u) {
          var first = u.obstacles[0].name;
          if (!count[first]) { count[first] = 0; order.push(first); }
          count[first]++;
          return [u.name, u.group ? (groups[u.group] || u.group) : '', ob(u.obstacles[0]), ob(u.obstacles[1]), ob(u.obstacles[2])];
        });
        show('measure-table', el('div', null, settings(r), table(heads, rows, [0, 0, 0, 0, 0])));
        hbar('measure-chart', T('作为首要障碍的地区数', 'Regions for which it is the main obstacle'), T('个', 'regions'), order, order.map(function (k) { return count[k]; }), '#0b5fa5');
      });
    }
    // renderNetwork shows the network's statistics, every unit's
    // centralities and community, and how the communities match the
    // agglomerations.
    function renderNetwork(r) {
      var mine = epoch;
      aggNames().then(function (groups) {
        if (mine !== epoch) return;
        var st = r.stats || {}, has = function (k) { return st[k] !== undefined && st[k] !== null; };
        var names = (r.indicators || []).map(function (c) { return indNames[c] || c; });
        var head = el('p', { class: 'muted', text: [T('人口规模与经济规模：', 'Human and economic mass: ') + names.join(T('、', ', ')), T('年份：', 'Year: ') + (r.year || '—'), T('单元数：', 'Units: ') + r.n].join(T('；', '; ')) });
        var srows = [[T('连边阈值', 'Edge threshold'), fmt(st.threshold, 4)], [T('边数', 'Edges'), fmt(st.edges, 0)], [T('密度', 'Density'), fmt(st.density, 4)],
          [T('社区数', 'Communities'), fmt(st.communities, 0)], [T('模块度 Q', 'Modularity Q'), fmt(st.modularity, 4)]];
        if (has('group_modularity')) srows.push([T('按城市群划分的模块度', 'Modularity of the agglomerations'), fmt(st.group_modularity, 4)]);
        if (has('nmi')) srows.push([T('标准化互信息（社区与城市群）', 'Normalised mutual information (communities and agglomerations)'), fmt(st.nmi, 4)]);
        if (has('ari')) srows.push([T('调整兰德指数（社区与城市群）', 'Adjusted Rand index (communities and agglomerations)'), fmt(st.ari, 4)]);
        var units = (r.units || []).slice().sort(function (a, b) { return (b.values.strength || 0) - (a.values.strength || 0); });
        var gname = function (u) { return u.group ? (groups[u.group] || u.group) : T('（无）', '(none)'); };
        var heads = [T('地区', 'Region'), T('城市群', 'Agglomeration'), T('社区', 'Community'), T('度', 'Degree'), T('强度', 'Strength'), T('介数', 'Betweenness'), T('接近中心性', 'Closeness'), T('特征向量中心性', 'Eigenvector')];
        var rows = units.map(function (u) {
          var v = u.values || {};
          return [u.name || u.unit, gname(u), u.community === undefined || u.community === null ? '—' : String(u.community + 1), fmt(v.degree, 0), fmt(v.strength, 2), fmt(v.betweenness, 1), fmt(v.closeness, 3), fmt(v.eigenvector, 3)];
        });
        show('measure-table', el('div', null, head, table([T('统计量', 'Statistic'), T('数值', 'Value')], srows, [0, 1]),
          el('div', { class: 'scroll-box' }, table(heads, rows, [0, 0, 1, 1, 1, 1, 1, 1]))));
        // Each community with its members by agglomeration.
        var comm = {}, order = [];
        units.forEach(function (u) {
          var k = u.community === undefined || u.community === null ? -1 : u.community;
          if (!comm[k]) { comm[k] = { n: 0, by: {}, keys: [] }; order.push(k); }
          var c = comm[k], g = gname(u);
          c.n++;
          if (!c.by[g]) { c.by[g] = 0; c.keys.push(g); }
          c.by[g]++;
        });
        order.sort(function (a, b) { return a - b; });
        var crows = order.map(function (k) {
          var c = comm[k];
          c.keys.sort(function (a, b) { return c.by[b] - c.by[a]; });
          return [k < 0 ? '—' : String(k + 1), c.n, c.keys.map(function (g) { return g + T(' ', ' ') + c.by[g]; }).join(T('、', ', '))];
        });
        show('measure-extra', el('div', null, el('h2', { text: T('社区与城市群的对照', 'Communities against the agglomerations') }),
          table([T('社区', 'Community'), T('单元数', 'Units'), T('按城市群的单元数', 'Units by agglomeration')], crows, [0, 1, 0])));
        var topU = units.slice(0, 15);
        hbar('measure-chart', T('联系强度最高的单元', 'Units with the strongest linkage'), T('强度', 'strength'), topU.map(function (u) { return u.name || u.unit; }), topU.map(function (u) { return u.values.strength; }), '#0b5fa5');
      });
    }
    function renderSources(r) {
      var heads = [T('来源', 'Source'), T('占总量', 'Share of the total'), T('来源基尼系数', 'Gini of the source'), T('基尼相关系数', 'Gini correlation'), T('对不平等的贡献率', 'Share of the inequality'), T('边际效应', 'Marginal effect')];
      var ss = r.sources || [];
      show('measure-table', el('div', null, settings(r), table(heads, ss.map(function (x) {
        return [x.name || x.source, pct(x.share), fmt(x.gini, 4), fmt(x.correlation, 4), pct(x.contribution_share), fmt(x.marginal_effect, 4)];
      }), [0, 1, 1, 1, 1, 1])));
      hbar('measure-chart', T('对不平等的贡献率', 'Share of the inequality'), '%', ss.map(function (x) { return x.name || x.source; }), ss.map(function (x) { return 100 * x.contribution_share; }), '#0b5fa5');
    }
    // interpret states in one or two sentences what the numbers in the
    // table say; every number it names is in the table.
    function interpret(r, indName) {
      var v = r.value, name = r.method_name;
      var byValue = function (a, b) { return (b.value || 0) - (a.value || 0); };
      var gs = (r.groups || []).filter(function (g) { return g.value !== null && g.value !== undefined && isFinite(g.value); });
      var gname = function (g) { return g.name || g.group; };
      switch (r.method) {
        case 'theil': case 'theil-l':
          if (r.between !== undefined && r.between !== null && v) {
            var shareB = r.between / v, maxG = (r.groups || []).slice().sort(function (a, b) { return (b.share || 0) - (a.share || 0); })[0];
            return T(name + '为 ' + fmt(v, 4) + '，其中组间差异占 ' + pct(shareB) + '，组内差异占 ' + pct(1 - shareB) + (maxG ? '；组内差异贡献最大的是' + gname(maxG) + '（贡献率 ' + pct(maxG.share) + '）。' : '。') + (shareB < 0.5 ? '差异主要来自城市群内部。' : '差异主要来自城市群之间。'),
              'The ' + name + ' is ' + fmt(v, 4) + ': ' + pct(shareB) + ' between the groups and ' + pct(1 - shareB) + ' within them' + (maxG ? '; ' + gname(maxG) + ' contributes most (' + pct(maxG.share) + ' of the total).' : '.') + (shareB < 0.5 ? ' Inequality lies mostly within the agglomerations.' : ' Inequality lies mostly between the agglomerations.'));
          }
          if (v !== undefined && v !== null) return T(name + '为 ' + fmt(v, 4) + '；0 表示完全均等，越大差异越大。', 'The ' + name + ' is ' + fmt(v, 4) + '; 0 means equal values, larger means more unequal.');
          break;
        case 'gini': case 'cv': case 'williamson':
          if (gs.length) {
            gs.sort(byValue);
            return T('按' + name + '，' + indName + '在' + gname(gs[0]) + '内部差异最大（' + fmt(gs[0].value, 4) + '），在' + gname(gs[gs.length - 1]) + '内部最小（' + fmt(gs[gs.length - 1].value, 4) + '）。0 表示成员完全均等。',
              'By the ' + name + ', ' + indName + ' is most unequal within ' + gname(gs[0]) + ' (' + fmt(gs[0].value, 4) + ') and least within ' + gname(gs[gs.length - 1]) + ' (' + fmt(gs[gs.length - 1].value, 4) + '); 0 means equal members.');
          }
          if (v !== undefined && v !== null) return T(indName + '的' + name + '为 ' + fmt(v, 4) + '；0 表示完全均等' + (r.method === 'gini' ? '，1 表示全部集中于一个单元。' : '，越大差异越大。'),
            'The ' + name + ' of ' + indName + ' is ' + fmt(v, 4) + '; 0 means equal values' + (r.method === 'gini' ? ', 1 all in one unit.' : ', larger means more unequal.'));
          break;
        case 'atkinson':
          if (gs.length) {
            gs.sort(byValue);
            var eps = gs[0].measures && gs[0].measures.epsilon !== undefined ? fmt(gs[0].measures.epsilon, 2) : '';
            return T('按阿特金森指数（ε = ' + eps + '），' + indName + '在' + gname(gs[0]) + '内部最不均衡（' + fmt(gs[0].value, 4) + '），在' + gname(gs[gs.length - 1]) + '内部最均衡（' + fmt(gs[gs.length - 1].value, 4) + '）。指数为 A 时，均等分配只需现有均值的 (1 − A) 即可带来同样的福利。',
              'By the Atkinson index (ε = ' + eps + '), ' + indName + ' is least equal within ' + gname(gs[0]) + ' (' + fmt(gs[0].value, 4) + ') and most equal within ' + gname(gs[gs.length - 1]) + ' (' + fmt(gs[gs.length - 1].value, 4) + '). An index A means an equal distribution of (1 − A) of the mean would give the same welfare.');
          }
          break;
        case 'primacy':
          if (gs.length) {
            gs.sort(byValue);
            return T('首位度（两城市指数 S2）最高的是' + gname(gs[0]) + '：最大成员是第二大成员的 ' + fmt(gs[0].value, 2) + ' 倍；最低的是' + gname(gs[gs.length - 1]) + '（' + fmt(gs[gs.length - 1].value, 2) + '）。S2 大于 2 常视为首位分布。',
              'Primacy (two-city index S2) is highest in ' + gname(gs[0]) + ', whose largest member is ' + fmt(gs[0].value, 2) + ' times the second; lowest in ' + gname(gs[gs.length - 1]) + ' (' + fmt(gs[gs.length - 1].value, 2) + '). An S2 above 2 is usually read as primate.');
          }
          if (v !== undefined && v !== null) return T('最大单元是第二大单元的 ' + fmt(v, 2) + ' 倍（S2）。', 'The largest unit is ' + fmt(v, 2) + ' times the second (S2).');
          break;
        case 'top-share':
          if (gs.length) {
            gs.sort(byValue);
            return T('头部单元份额最高的是' + gname(gs[0]) + '（' + pct(gs[0].value) + '），最低的是' + gname(gs[gs.length - 1]) + '（' + pct(gs[gs.length - 1].value) + '）。',
              'The top units hold the largest share in ' + gname(gs[0]) + ' (' + pct(gs[0].value) + ') and the smallest in ' + gname(gs[gs.length - 1]) + ' (' + pct(gs[gs.length - 1].value) + ').');
          }
          if (v !== undefined && v !== null) return T('头部单元占总量的 ' + pct(v) + '。', 'The top units hold ' + pct(v) + ' of the total.');
          break;
        case 'hhi':
          if (gs.length) {
            gs.sort(byValue);
            return T('集中度最高的是' + gname(gs[0]) + '（HHI ' + fmt(gs[0].value, 4) + '），最低的是' + gname(gs[gs.length - 1]) + '（' + fmt(gs[gs.length - 1].value, 4) + '）；HHI 的倒数是等效的均等单元数。',
              'Concentration is highest in ' + gname(gs[0]) + ' (HHI ' + fmt(gs[0].value, 4) + ') and lowest in ' + gname(gs[gs.length - 1]) + ' (' + fmt(gs[gs.length - 1].value, 4) + '); 1/HHI is the equivalent number of equal units.');
          }
          if (v !== undefined && v !== null) return T('HHI 为 ' + fmt(v, 4) + '，相当于 ' + fmt(1 / v, 1) + ' 个规模相同的单元。', 'The HHI is ' + fmt(v, 4) + ', as concentrated as ' + fmt(1 / v, 1) + ' equal units.');
          break;
        case 'rank-size':
          if (r.stats && r.stats.q !== undefined) {
            var q = r.stats.q;
            return T('位序-规模回归的齐夫指数 q = ' + fmt(q, 3) + '（R² = ' + fmt(r.stats.r2, 3) + '）：' + (q > 1 ? 'q 大于 1，规模分布比齐夫法则更集中于头部。' : 'q 小于 1，规模分布比齐夫法则更均衡。'),
              'The rank-size fit gives a Zipf exponent q = ' + fmt(q, 3) + ' (R² = ' + fmt(r.stats.r2, 3) + '): ' + (q > 1 ? 'above 1, sizes are more concentrated at the top than Zipf\'s law.' : 'below 1, sizes are more even than Zipf\'s law.'));
          }
          break;
        case 'dea':
          var us = (r.units || []).filter(function (u) { return u.efficiency !== null && u.efficiency !== undefined; });
          if (us.length) {
            var eff = us.filter(function (u) { return u.efficiency >= 0.9999; });
            us.sort(function (a, b) { return a.efficiency - b.efficiency; });
            return T(us.length + ' 个地区中有 ' + eff.length + ' 个 DEA 有效（效率为 1）；效率最低的是' + us[0].name + '（' + fmt(us[0].efficiency, 3) + '），即其投入可按比例减少到 ' + pct(us[0].efficiency) + ' 而产出不变。',
              eff.length + ' of ' + us.length + ' regions are DEA-efficient (efficiency 1); the least efficient is ' + us[0].name + ' (' + fmt(us[0].efficiency, 3) + '): it could produce the same output with ' + pct(us[0].efficiency) + ' of its inputs.');
          }
          break;
      }
      return '';
    }
    Promise.all([api('/api/v1/indicators?' + qs())]).then(function (res) {
      var inds = res[0], years = {};
      inds.forEach(function (i) {
        indNames[i.code] = i.name;
        (i.years || []).forEach(function (y) { years[y] = true; });
        ind.appendChild(el('option', { value: i.code, text: i.name }));
        inputs.appendChild(el('option', { value: i.code, text: i.name }));
        outputs.appendChild(el('option', { value: i.code, text: i.name }));
        sources.appendChild(el('option', { value: i.code, text: i.name }));
        netP.appendChild(el('option', { value: i.code, text: i.name }));
        netG.appendChild(el('option', { value: i.code, text: i.name }));
      });
      Object.keys(years).map(Number).sort(function (a, b) { return b - a; }).forEach(function (y) {
        year.appendChild(el('option', { value: String(y), text: String(y) }));
        fromSel.appendChild(el('option', { value: String(y), text: String(y) }));
        toSel.appendChild(el('option', { value: String(y), text: String(y) }));
      });
      var pick = function (s, code) { Array.prototype.forEach.call(s.options, function (o) { if (o.value === code) o.selected = true; }); };
      if (indNames.cric_composite) ind.value = 'cric_composite';
      // The network's masses: a population and a GDP of one scope.
      var first = function (codes) { for (var k = 0; k < codes.length; k++) if (indNames[codes[k]]) return codes[k]; return ''; };
      var mp = first(['population', 'popu', 'registered_population_district']), mg = first(['gdp', 'gdp_district']);
      if (mp === 'registered_population_district' && indNames.gdp_district) mg = 'gdp_district';
      if (mp) netP.value = mp;
      if (mg) netG.value = mg;
      pick(inputs, 'rd_expenditure'); pick(inputs, 'rd_personnel_fte'); pick(outputs, 'patent_grants');
      ['rd_intramural_expenditure_government_funds', 'rd_intramural_expenditure_business_funds', 'rd_foreign_funds', 'rd_intramural_expenditure_other_funds'].forEach(function (c) { pick(sources, c); });
      run();
    }).catch(function (e) { errBox.textContent = errorText(e); errBox.hidden = false; });
    api('/api/v1/frameworks?' + qs()).then(function (fws) {
      fws.forEach(function (f) { framework.appendChild(el('option', { value: f.code, text: f.name })); });
    }).catch(function () { /* the default framework is used */ });
    form.addEventListener('change', run);
    form.addEventListener('submit', function (ev) { ev.preventDefault(); run(); });
  }

  // ---- index builder ----
  function indexBuilder() {
    var form = document.getElementById('index-form');
    var fw = document.getElementById('fw');
    var errBox = document.getElementById('index-error');
    function request() {
      var r = { dataset: DS, framework: fw.value };
      ['normalisation', 'weights', 'aggregation'].forEach(function (k) { var v = form.elements[k].value; if (v) r[k] = v; });
      return r;
    }
    function clearResults() {
      show('index-table', null); clearChart('index-chart'); show('index-notes', null);
      show('ua-table', null); clearChart('ua-chart');
      document.getElementById('ua-settings').hidden = true;
    }
    var latest = 0; // answers to earlier choices that arrive late are dropped
    function run() {
      var mine = ++latest;
      api('/api/v1/composite?' + qs(), { method: 'POST', json: request() }).then(function (res) {
        if (mine !== latest) return;
        errBox.hidden = true;
        return aggNames().then(function (groups) {
          if (mine !== latest) return;
          clearResults();
          var notes = document.createDocumentFragment();
          (res.notes || []).forEach(function (n) { notes.appendChild(note(LANG === 'en' ? n.en : n.zh)); });
          show('index-notes', notes);
          var units = res.units.slice().sort(function (a, b) { return (a.rank || 1e9) - (b.rank || 1e9); });
          show('index-table', table([T('排名', 'Rank'), T('地区', 'Region'), T('城市群', 'Agglomeration'), T('指数', 'Index')],
            units.map(function (u) { return [u.rank || '—', u.name, u.group ? (groups[u.group] || u.group) : '', fmt(u.index, 2)]; }), [1, 0, 0, 1]));
          var c = chart('index-chart', Math.max(340, 24 * units.length + 80));
          if (!c) return;
          c.setOption({
            title: { text: res.framework.name, textStyle: { fontSize: 14 } },
            tooltip: { valueFormatter: function (v) { return fmt(v, 2); } }, grid: { left: 8, right: 40, top: 40, bottom: 8, containLabel: true },
            xAxis: { type: 'value', axisLabel: { hideOverlap: true } }, yAxis: { type: 'category', inverse: true, data: units.map(function (u) { return u.name; }), axisLabel: catLabels(140) },
            series: [{ type: 'bar', data: units.map(function (u) { return u.index; }), itemStyle: { color: '#0b5fa5' } }]
          }, true);
        });
      }).catch(function (e) {
        if (mine !== latest) return;
        // The error replaces the results: no ranking of earlier choices
        // stays under it.
        clearResults();
        errBox.textContent = errorText(e); errBox.hidden = false;
      });
    }
    api('/api/v1/frameworks?' + qs()).then(function (fws) {
      fws.forEach(function (f) { fw.appendChild(el('option', { value: f.code, text: f.name })); });
      run();
    }).catch(function (e) { errBox.textContent = errorText(e); errBox.hidden = false; });
    form.addEventListener('change', run);
    form.addEventListener('submit', function (ev) { ev.preventDefault(); run(); });

    var start = document.getElementById('ua-start'), cancel = document.getElementById('ua-cancel');
    var bar = document.getElementById('ua-progress'), status = document.getElementById('ua-status');
    var settings = document.getElementById('ua-settings');
    var job = null, source = null, sent = null;
    function finish(j) {
      start.disabled = false; cancel.disabled = true;
      if (source) { source.close(); source = null; }
      if (j.state === 'done') {
        bar.value = 1;
        status.textContent = T('完成：', 'Done: ') + j.result.runs + T(' 次运行', ' runs');
        settings.textContent = T('随机种子 ', 'Seed ') + sent.seed + T('，运行 ', ', ') + sent.n + T(' 次；指数：', ' runs; index: ') + fw.options[fw.selectedIndex].text +
          T('。命令行复现：', '. On the command line: ') + 'agglo index uncertainty --framework ' + sent.framework + ' --n ' + sent.n + ' --seed ' + sent.seed +
          (sent.normalisation ? ' --normalise ' + sent.normalisation : '') + (sent.weights ? ' --weights ' + sent.weights : '') + (sent.aggregation ? ' --aggregate ' + sent.aggregation : '');
        settings.hidden = false;
        renderUA(j);
      } else if (j.state === 'cancelled') status.textContent = T('已取消', 'Cancelled');
      else { status.textContent = T('失败：', 'Failed: ') + (j.error || ''); show('ua-table', null); clearChart('ua-chart'); }
    }
    start.addEventListener('click', function () {
      var r = request();
      r.n = parseInt(document.getElementById('ua-n').value, 10) || 1000;
      r.seed = parseInt(document.getElementById('ua-seed').value, 10) || 1;
      sent = r;
      start.disabled = true; status.textContent = T('运行中……', 'Running…'); bar.value = 0;
      show('ua-table', null); clearChart('ua-chart'); settings.hidden = true;
      api('/api/v1/uncertainty?' + qs(), { method: 'POST', json: r }).then(function (j) {
        job = j; cancel.disabled = false;
        source = new EventSource('/api/v1/uncertainty/' + j.id + '/events?' + qs());
        source.addEventListener('progress', function (ev) { var d = JSON.parse(ev.data); bar.value = d.progress; status.textContent = fmt(d.done, 0) + ' / ' + fmt(d.total, 0); });
        ['done', 'failed', 'cancelled'].forEach(function (name) {
          source.addEventListener(name, function (ev) { finish(JSON.parse(ev.data)); });
        });
        source.onerror = function () { if (source) { source.close(); source = null; api('/api/v1/uncertainty/' + job.id + '?' + qs()).then(function (j2) { if (j2.state !== 'running') finish(j2); }); } };
      }).catch(function (e) { start.disabled = false; status.textContent = errorText(e); });
    });
    cancel.addEventListener('click', function () {
      if (!job) return;
      api('/api/v1/uncertainty/' + job.id + '?' + qs(), { method: 'DELETE' }).then(finish).catch(function (e) { status.textContent = errorText(e); });
    });
  }

  function renderUA(j) {
    // Rows in the order of the nominal ranks, as the index table.
    var units = j.result.units.slice().sort(function (a, b) { return (a.nominal_rank || 1e9) - (b.nominal_rank || 1e9) || (a.code < b.code ? -1 : 1); });
    var name = function (c) { return j.names[c] || c; };
    show('ua-table', table([T('地区', 'Region'), T('名义排名', 'Nominal rank'), T('中位排名', 'Median rank'), T('5% 分位', '5th pct'), T('95% 分位', '95th pct')],
      units.map(function (u) { return [name(u.code), u.nominal_rank, fmt(u.median_rank, 1), fmt(u.p05_rank, 1), fmt(u.p95_rank, 1)]; }), [0, 1, 1, 1, 1]));
    var c = chart('ua-chart', Math.max(340, 24 * units.length + 90));
    if (!c) return;
    c.setOption({
      tooltip: { trigger: 'axis' }, grid: { left: 8, right: 30, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, data: [T('5%–95% 排名区间', '5-95% rank interval'), T('中位排名', 'median rank'), T('名义排名', 'nominal rank')] },
      xAxis: { type: 'value', name: T('排名', 'rank'), nameLocation: 'middle', nameGap: 22, min: 1, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'category', inverse: true, data: units.map(function (u) { return name(u.code); }), axisLabel: catLabels(140) },
      series: [
        { type: 'bar', stack: 'r', name: 'p05', silent: true, tooltip: { show: false }, itemStyle: { color: 'transparent' }, data: units.map(function (u) { return u.p05_rank; }) },
        { type: 'bar', stack: 'r', name: T('5%–95% 排名区间', '5-95% rank interval'), itemStyle: { color: '#9ecae1' }, data: units.map(function (u) { return Math.max(u.p95_rank - u.p05_rank, 0.15); }) },
        { type: 'scatter', name: T('中位排名', 'median rank'), symbol: 'diamond', symbolSize: 11, itemStyle: { color: '#2f4554' }, data: units.map(function (u) { return u.median_rank; }) },
        { type: 'scatter', name: T('名义排名', 'nominal rank'), itemStyle: { color: '#c0392b' }, data: units.map(function (u) { return u.nominal_rank; }) }]
    }, true);
  }

  // ---- scenario ----
  function scenario() {
    var form = document.getElementById('scenario-form');
    if (form.dataset.available !== 'true') {
      Array.prototype.forEach.call(form.elements, function (e) { e.disabled = true; });
      return;
    }
    var latest = 0; // answers to earlier choices that arrive late are dropped
    function run() {
      var f = form.elements, mine = ++latest, box = document.getElementById('recommendations');
      var req = { dataset: DS, agglomeration: f.agglomeration.value, scenario: { domestic: f.domestic.value, international: f.international.value, resources: f.resources.value, stage: f.stage.value } };
      // aria-busy stays until the answer to the latest choice is shown.
      box.setAttribute('aria-busy', 'true');
      function done(content) {
        if (mine !== latest) return;
        show('recommendations', content);
        box.removeAttribute('aria-busy');
      }
      api('/api/v1/strategy?' + qs(), { method: 'POST', json: req }).then(function (r) { done(renderStrategies(r)); })
        .catch(function (e) { done(note(errorText(e), 'error')); });
    }
    form.addEventListener('change', run);
    run();
  }

  // ---- replication ----
  function replication() {
    var filter = document.getElementById('rep-filter');
    var errBox = document.getElementById('rep-error');
    var data = null;
    var cls = { match: 'ok', mismatch: 'bad', mixed: 'warn' };
    function verdictOf(s) { return [(data && data.status_names && data.status_names[s]) || s, cls[s] || 'muted']; }
    // The claims' own units are catalogue units or these words.
    function repUnit(u) {
      var words = { score: T('分', 'points'), rank: T('位', 'rank'), 'rank from bottom': T('位（倒数）', 'rank from the bottom'), weight: '' };
      if (words[u] !== undefined) return words[u];
      return (data && data.unit_names && data.unit_names[u]) || u;
    }
    var order = { mismatch: 0, mixed: 1, match: 2, constraint: 3, 'published-only': 4, 'not-checkable': 5 };
    var keep = {
      checked: function (c) { return c.status === 'match' || c.status === 'mismatch' || c.status === 'mixed'; },
      mismatch: function (c) { return c.status === 'mismatch' || c.status === 'mixed'; },
      readings: function (c) { return (c.readings || []).length >= 2; },
      constraint: function (c) { return c.status === 'constraint'; },
      all: function () { return true; }
    };
    // readingsOf sets the readings of a claim side by side.
    function readingsOf(c) {
      if ((c.readings || []).length < 2) return null;
      var box = el('div', { class: 'readings' });
      c.readings.forEach(function (r) {
        box.appendChild(el('div', { class: 'reading ' + (r.holds ? 'holds' : 'fails') },
          el('strong', { text: tx(r.name) + T('：', ': ') }),
          el('span', { class: r.holds ? 'ok' : 'error', text: r.holds ? T('成立', 'holds') : T('不成立', 'does not hold') }),
          el('div', { class: 'reason', text: tx(r.detail) })));
      });
      return box;
    }
    function render() {
      if (!data) return;
      var claims = data.claims.filter(keep[filter.value] || keep.all).map(function (c, i) { return [c, i]; }).sort(function (a, b) {
        return ((order[a[0].status] === undefined ? 9 : order[a[0].status]) - (order[b[0].status] === undefined ? 9 : order[b[0].status])) || a[1] - b[1];
      }).map(function (x) { return x[0]; });
      var rows = claims.map(function (c) {
        var v = verdictOf(c.status);
        var two = readingsOf(c);
        var reason = two ? '' : (LANG === 'en' ? c.reason_en : c.reason_zh);
        var claim = el('div', null, el('span', { text: LANG === 'en' ? c.claim_en : c.claim_zh }), reason ? el('div', { class: 'reason', text: reason }) : null, two);
        var unit = repUnit(c.unit || '');
        return [claim, fmt(c.published, 4) + (c.published !== null && c.published !== undefined && unit ? ' ' + unit : ''), fmt(c.computed, 4), el('span', { class: 'verdict-tag ' + v[1], 'data-status': c.status, text: v[0] })];
      });
      var t = table([T('论断', 'Claim'), T('论文值', 'Published'), T('计算值', 'Computed'), T('结论', 'Verdict')], rows, [0, 1, 1, 0]);
      t.classList.add('replication');
      show('rep-table', rows.length ? t : note(T('没有符合条件的条目。', 'No items to show.'), 'muted'));
    }
    api('/api/v1/replication?' + qs()).then(function (r) {
      data = r;
      var v = r.verdict, checked = v.match + v.mismatch + (v.mixed || 0);
      var card = function (value, label, cls, status) { return el('div', { class: 'key ' + (cls || ''), 'data-status': status || '' }, el('div', { class: 'key-value', text: value }), el('div', { class: 'key-label', text: label })); };
      var n = function (s) { return verdictOf(s)[0]; };
      var frag = document.createDocumentFragment();
      frag.appendChild(card(v.match + ' / ' + checked, T('可重算的条目中与论文一致', 'of the recomputable items match the paper'), 'verdict', 'match'));
      frag.appendChild(card(String(v.mismatch), n('mismatch'), v.mismatch ? 'bad' : '', 'mismatch'));
      frag.appendChild(card(String(v.mixed || 0), n('mixed') + T('（两种读法并列）', ' (both readings shown)'), v.mixed ? 'warn' : '', 'mixed'));
      frag.appendChild(card(String(v.constraint || 0), n('constraint') + T('：按构造成立，不计为核对', ': true by construction, not counted as checks'), '', 'constraint'));
      frag.appendChild(card(String(v.published_only), n('published-only') + T('：论文未给出可重算的输入', ': no inputs to recompute'), '', 'published-only'));
      frag.appendChild(card(String(v.not_checkable), n('not-checkable') + T('：当前数据不足', ': the current data lack what it needs'), '', 'not-checkable'));
      show('rep-summary', frag);
      render();
    }).catch(function (e) { errBox.textContent = errorText(e); errBox.hidden = false; show('rep-table', null); });
    filter.addEventListener('change', render);
  }

  // ---- report ----
  // Downloads go through fetch so that a format the server cannot make
  // shows its error on the page instead of saving it as a file.
  function report() {
    var status = document.getElementById('report-status');
    Array.prototype.forEach.call(document.querySelectorAll('#report-links a[download]'), function (a) {
      a.addEventListener('click', function (ev) {
        ev.preventDefault();
        status.hidden = true;
        a.setAttribute('aria-busy', 'true');
        fetch(a.href, { headers: { 'Accept-Language': LANG } }).then(function (res) {
          if (!res.ok) {
            return res.json().then(function (d) { throw { status: res.status, error: d && d.error }; }, function () { throw { status: res.status }; });
          }
          var name = 'agglo-report';
          var cd = res.headers.get('Content-Disposition') || '';
          var m = /filename="?([^";]+)"?/.exec(cd);
          if (m) name = m[1];
          return res.blob().then(function (b) {
            var url = URL.createObjectURL(b);
            var link = el('a', { href: url, download: name });
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          });
        }).catch(function (e) {
          status.textContent = a.textContent + T('：', ': ') + errorText(e);
          status.hidden = false;
        }).then(function () { a.removeAttribute('aria-busy'); });
      });
    });
  }

  // ---- data ----
  function data() {
    var form = document.getElementById('upload-form');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var fd = new FormData();
      var file = document.getElementById('upload-file').files[0];
      if (!file) return;
      fd.append('file', file);
      var name = document.getElementById('upload-name').value;
      if (name) fd.append('name', name);
      show('upload-result', el('p', { class: 'muted', text: T('上传中……', 'Uploading…') }));
      api('/api/v1/datasets?' + qs(), { method: 'POST', body: fd }).then(function (res) {
        var d = res.dataset;
        var link = el('a', { href: '/data?' + qs({ dataset: d.id }), id: 'use-uploaded', text: T('在所有页面中使用该数据集', 'use this dataset in every view') });
        var frag = document.createDocumentFragment();
        frag.appendChild(el('p', { class: 'ok', id: 'upload-ok', text: T('导入成功：', 'Imported: ') + d.name + ' — ' + d.regions + T(' 个地区，', ' regions, ') + d.indicators + T(' 个指标，', ' indicators, ') + d.observations + T(' 个观测。', ' observations. ') }));
        frag.appendChild(link);
        var notes = d.notes || [];
        if (notes.length) frag.appendChild(issuesTable(notes.map(function (n) { return Object.assign({}, n, { message: LANG === 'en' ? n.message.en : n.message.zh }); }), T('提示', 'Notes')));
        show('upload-result', frag);
        preview(d.id, 'upload-result', true);
      }).catch(function (e) {
        var frag = document.createDocumentFragment();
        frag.appendChild(el('p', { class: 'error', id: 'upload-error', text: errorText(e) }));
        if (e.error && e.error.issues) frag.appendChild(issuesTable(e.error.issues));
        if (e.error && e.error.more) frag.appendChild(el('p', { class: 'muted', text: T('另有 ', 'and ') + e.error.more + T(' 个问题', ' more') }));
        show('upload-result', frag);
      });
    });
    var aggForm = document.getElementById('aggset-form');
    if (aggForm) aggForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var file = document.getElementById('aggset-file').files[0];
      if (!file) return;
      var fd = new FormData();
      fd.append('file', file);
      var name = document.getElementById('aggset-name').value;
      if (name) fd.append('name', name);
      show('aggset-result', el('p', { class: 'muted', text: T('上传中……', 'Uploading…') }));
      api('/api/v1/agglomeration-sets?' + qs(), { method: 'POST', body: fd }).then(function (res) {
        var names = (res.agglomerations || []).map(function (a) { return a.code + ' ' + a.name; });
        show('aggset-result', el('p', { class: 'ok', id: 'aggset-ok', text: T('已添加城市群：', 'Agglomerations added: ') + names.join(T('、', ', ')) }));
      }).catch(function (e) {
        var frag = document.createDocumentFragment();
        frag.appendChild(el('p', { class: 'error', id: 'aggset-error', text: errorText(e) }));
        if (e.error && e.error.issues) frag.appendChild(issuesTable(e.error.issues));
        show('aggset-result', frag);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('button.delete'), function (b) {
      b.addEventListener('click', function () {
        if (!confirm(T('删除该数据集？', 'Delete this dataset?'))) return;
        api('/api/v1/datasets/' + b.dataset.id + '?' + qs(), { method: 'DELETE' }).then(function () {
          location.href = '/data?' + new URLSearchParams({ lang: LANG }).toString();
        }).catch(function (e) { alert(errorText(e)); });
      });
    });
    preview(DS, 'dataset-preview', false);
  }

  function issuesTable(issues, caption) {
    var t = table([T('文件', 'File'), T('工作表', 'Sheet'), T('行', 'Row'), T('列', 'Column'), T('列名', 'Header'), T('问题', 'Problem')],
      issues.map(function (i) { return [i.file || '', i.sheet || '', i.row || '', i.col || '', i.column || '', i.message]; }), [0, 0, 1, 1, 0, 0]);
    t.className = 'data issues';
    t.id = caption ? 'notes-table' : 'issues-table';
    return t;
  }

  var levelNames = function (l) {
    return { nation: T('全国', 'nation'), agglomeration: T('城市群', 'agglomeration'), province: T('省级', 'province'), city: T('地级市', 'city'), unit: T('单元', 'unit') }[l] || l;
  };

  function preview(id, target, append) {
    var p = new URLSearchParams({ lang: LANG, dataset: id });
    Promise.all([api('/api/v1/indicators?' + p), api('/api/v1/regions?' + p)]).then(function (res) {
      var frag = document.createDocumentFragment();
      frag.appendChild(el('h3', { text: T('指标', 'Indicators') }));
      frag.appendChild(table([T('名称', 'Name'), T('单位', 'Unit'), T('观测', 'Observations'), T('年份', 'Years')],
        res[0].map(function (i) { return [i.name, unitOf(i), fmt(i.observations, 0), i.years.join(T('、', ', '))]; }), [0, 0, 1, 0]));
      frag.appendChild(el('h3', { text: T('地区', 'Regions') }));
      var regs = res[1].slice(0, 200);
      var t = table([T('代码', 'Code'), T('名称', 'Name'), T('层级', 'Level'), T('观测', 'Observations')],
        regs.map(function (r) { return [r.code, r.name, levelNames(r.level), fmt(r.observations, 0)]; }), [0, 0, 0, 1]);
      t.id = append ? 'uploaded-regions' : 'current-regions';
      frag.appendChild(t);
      if (res[1].length > regs.length) frag.appendChild(el('p', { class: 'muted', text: T('仅显示前 200 个地区', 'first 200 regions shown') }));
      var box = document.getElementById(target);
      if (!append) box.textContent = '';
      box.appendChild(frag);
    }).catch(function (e) { document.getElementById(target).appendChild(note(errorText(e), 'error')); });
  }

  var inits = { overview: overview, profile: profile, compare: compare, measures: measures, index: indexBuilder, scenario: scenario, replication: replication, report: report, data: data };
  function boot() { if (inits[PAGE]) inits[PAGE](); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
