// agglo dashboard: small vanilla script, one init function per page.
(function () {
  'use strict';
  var body = document.body;
  var LANG = body.dataset.lang === 'en' ? 'en' : 'zh';
  var DS = body.dataset.dataset || 'paper';
  var PAGE = body.dataset.page;
  var COLORS = ['#c0392b', '#1f77b4', '#2ca02c', '#9467bd', '#e67e22'];

  function T(zh, en) { return LANG === 'en' ? en : zh; }

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
      return res.json().then(function (data) {
        if (!res.ok) throw { status: res.status, error: (data && data.error) || { message: res.statusText } };
        return data;
      }, function () {
        if (!res.ok) throw { status: res.status, error: { message: res.statusText } };
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

  function fmt(v, d) {
    if (v === null || v === undefined || (typeof v === 'number' && !isFinite(v))) return '—';
    if (typeof v !== 'number') return String(v);
    var s = v.toFixed(d === undefined ? 2 : d);
    if (s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
    return s;
  }

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
    var box = document.getElementById(id);
    if (!box) return;
    box.textContent = '';
    if (node) box.appendChild(node);
  }

  function errorText(err) {
    if (err && err.error && err.error.message) return err.error.message;
    return T('请求失败', 'request failed');
  }

  function chart(id) {
    var node = document.getElementById(id);
    if (!node || typeof echarts === 'undefined') return null;
    var c = echarts.getInstanceByDom(node) || echarts.init(node);
    window.addEventListener('resize', function () { c.resize(); });
    return c;
  }

  function note(text, cls) { return el('p', { class: cls || 'note', text: text }); }

  // ---- shared: dataset selector ----
  var sel = document.getElementById('dataset-select');
  if (sel) sel.addEventListener('change', function () {
    var p = new URLSearchParams(location.search);
    p.set('dataset', sel.value);
    p.set('lang', LANG);
    location.search = p.toString();
  });

  // ---- overview ----
  function overview() {
    Promise.all([api('/api/v1/agglomerations?' + qs()), fetch('/vendor/china-map/china.json').then(function (r) { return r.json(); })]).then(function (res) {
      var aggs = res[0], geo = res[1];
      echarts.registerMap('china', geo);
      var data = [], pieces = [];
      aggs.forEach(function (a, i) {
        pieces.push({ value: i, label: a.name, color: COLORS[i % COLORS.length] });
        a.provinces.forEach(function (p) { data.push({ name: p.short_zh, value: i, agg: a.name, partial: p.partial }); });
      });
      var c = chart('map');
      if (!c) return;
      c.setOption({
        tooltip: { formatter: function (p) { return p.data ? p.name + ' · ' + p.data.agg + (p.data.partial ? T('（部分）', ' (partly)') : '') : p.name; } },
        visualMap: { type: 'piecewise', pieces: pieces, left: 10, bottom: 10, textStyle: { fontSize: 13 } },
        series: [{ type: 'map', map: 'china', roam: true, data: data, label: { show: false }, itemStyle: { areaColor: '#e8edf2', borderColor: '#9aa7b4' },
          emphasis: { label: { show: true } } }]
      });
      c.on('click', function (p) { if (p.data) { var a = aggs[p.data.value]; location.href = '/agglomerations/' + a.code + '?' + qs(); } });
    }).catch(function (e) { show('map', note(errorText(e), 'error')); });

    api('/api/v1/observations?' + qs({ indicators: 'population_density,gdp_per_capita' })).then(function (t) {
      var c = chart('overview-bars');
      if (!c) return;
      c.setOption({
        tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 60, right: 60, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: t.regions.map(function (r) { return r.name; }) },
        yAxis: [{ type: 'value', name: t.indicators[0].unit }, { type: 'value', name: t.indicators[1].unit }],
        series: [
          { type: 'bar', name: t.indicators[0].name, data: t.values.map(function (r) { return r[0]; }) },
          { type: 'bar', name: t.indicators[1].name, yAxisIndex: 1, data: t.values.map(function (r) { return r[1]; }) }]
      });
    }).catch(function (e) { show('overview-bars', note(errorText(e), 'error')); });
  }

  // ---- profile ----
  function profile() {
    var code = document.getElementById('profile-title').dataset.code;
    var members = [];
    try { members = JSON.parse(document.getElementById('member-data').textContent) || []; } catch (e) { members = []; }
    var dims = ['cric_knowledge_creation', 'cric_knowledge_acquisition', 'cric_enterprise_innovation', 'cric_innovation_environment', 'cric_innovation_performance'];
    var names = {};
    members.forEach(function (m) { m.figures.forEach(function (f) { names[f.indicator] = f.name; }); });
    var c = chart('members-chart');
    if (c && members.length) {
      c.setOption({
        tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 80 },
        xAxis: { type: 'category', data: dims.map(function (d) { return names[d] || d; }), axisLabel: { rotate: 20 } },
        yAxis: { type: 'value' },
        series: members.map(function (m) {
          var byInd = {};
          m.figures.forEach(function (f) { byInd[f.indicator] = f.value; });
          return { type: 'bar', name: m.name + (m.partial ? '*' : ''), data: dims.map(function (d) { return byInd[d] === undefined ? null : byInd[d]; }) };
        })
      });
    } else if (c) { show('members-chart', note(T('该数据集没有成员省份的数据。', 'The dataset has no data on the member provinces.'), 'muted')); }

    var box = document.getElementById('diagnosis');
    if (box.dataset.available !== 'true') { show('diagnosis', note(T('诊断功能尚未提供。', 'Diagnosis is not yet available.'))); }
    else api('/api/v1/diagnosis?' + qs({ agglomeration: code })).then(function (d) {
      var a = d.result.agglomerations[0];
      var name = labelOf(d.result.labels);
      var frag = document.createDocumentFragment();
      var label = function (k, v, conf) { return el('p', null, el('strong', { text: k + '：' }), el('span', { class: 'tag', text: v }), conf !== undefined ? el('span', { class: 'muted', text: T(' 稳定度 ', ' stability ') + fmt(conf * 100, 0) + '%' }) : null); };
      frag.appendChild(label(T('空间模式', 'Spatial mode'), name(a.spatial_mode) + (a.cores && a.cores.length ? ' (' + a.cores.join(', ') + ')' : ''), a.confidence.spatial_mode));
      frag.appendChild(label(T('水平', 'Level'), name(a.level), a.confidence.level));
      frag.appendChild(label(T('开放模式', 'Openness mode'), name(a.openness_mode), a.confidence.openness_mode));
      frag.appendChild(label(T('发展阶段', 'Stage'), name(a.stage) + ' (' + a.stage_source + ')', a.confidence.stage));
      var ev = [];
      ['spatial_evidence', 'level_evidence', 'openness_evidence', 'stage_evidence'].forEach(function (k) {
        (a[k] || []).forEach(function (e) { ev.push([k.replace('_evidence', ''), e.metric, fmt(e.value, 3), e.op + ' ' + fmt(e.threshold, 3), e.met ? '✓' : '✗']); });
      });
      frag.appendChild(el('h3', { text: T('证据', 'Evidence') }));
      frag.appendChild(table([T('方面', 'Axis'), T('指标', 'Metric'), T('数值', 'Value'), T('阈值', 'Threshold'), T('满足', 'Met')], ev, [0, 0, 1, 0, 0]));
      frag.appendChild(el('h3', { text: T('问题', 'Problems') }));
      if (!a.problems.length) frag.appendChild(el('p', { class: 'muted', text: T('数据未显示问题。', 'The data show no problem.') }));
      a.problems.forEach(function (p) {
        frag.appendChild(el('p', null, el('strong', { text: name(p.id) + ' ' }),
          el('span', { class: 'reason', text: (p.evidence || []).map(function (e) { return e.metric + ' = ' + fmt(e.value, 3) + ' ' + e.op + ' ' + fmt(e.threshold, 3); }).join('; ') })));
      });
      (a.unassessed || []).forEach(function (u) {
        frag.appendChild(el('p', { class: 'muted', text: name(u.id) + ': ' + (LANG === 'en' ? u.reason.en : u.reason.zh) }));
      });
      show('diagnosis', frag);
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

  function renderStrategies(r) {
    var frag = document.createDocumentFragment();
    var aggs = (r && r.result && r.result.agglomerations) || [];
    var modeName = labelOf(r && r.result && r.result.labels);
    aggs.forEach(function (a) {
      frag.appendChild(el('p', { class: 'modes' },
        el('strong', { text: T('推荐模式：', 'Recommended modes: ') }),
        el('span', { class: 'tag', id: 'rec-spatial', text: modeName(a.recommended_spatial_mode) }),
        el('span', { class: 'tag', id: 'rec-openness', text: modeName(a.recommended_openness_mode) }),
        el('span', { class: 'muted', text: T(' 阶段：', ' stage: ') + modeName(a.stage) + ' (' + a.stage_source + ')' })));
      if (!a.recommendations.length) frag.appendChild(el('p', { class: 'muted', text: T('该情景下没有规则触发。', 'No rule fires in this scenario.') }));
      var ol = el('ol', { class: 'recs' });
      a.recommendations.forEach(function (rec) {
        var measures = el('ul');
        (LANG === 'en' ? rec.measures_en : rec.measures_zh).forEach(function (m) { measures.appendChild(el('li', { text: m })); });
        ol.appendChild(el('li', { 'data-rule': rec.id },
          el('strong', { text: LANG === 'en' ? rec.title_en : rec.title_zh }),
          el('p', { class: 'reason', text: T('理由：', 'Why: ') + (LANG === 'en' ? rec.rationale_en : rec.rationale_zh) }),
          el('p', { class: 'reason', text: T('依据：', 'Facts: ') + (rec.evidence || []).map(function (e) { return e.fact + ' = ' + e.value; }).join('; ') + ' · ' + rec.source }),
          measures));
      });
      frag.appendChild(ol);
    });
    return frag;
  }

  // ---- compare ----
  function compare() {
    var list = document.getElementById('indicator-list');
    var scope = document.getElementById('compare-scope');
    var form = document.getElementById('compare-form');
    var exportLink = document.getElementById('compare-export');
    function params() {
      var inds = Array.prototype.map.call(list.querySelectorAll('input:checked'), function (i) { return i.value; });
      var p = { indicators: inds.join(',') };
      if (scope.value) p.members = scope.value;
      return p;
    }
    function run() {
      var p = params();
      exportLink.href = '/api/v1/observations?' + qs(Object.assign({ format: 'xlsx' }, p));
      if (!p.indicators) { show('compare-table', note(T('请至少选择一个指标。', 'Choose at least one indicator.'), 'muted')); return; }
      api('/api/v1/observations?' + qs(p)).then(function (t) {
        var heads = [T('地区', 'Region')].concat(t.indicators.map(function (i) { return i.name + (i.unit ? ' (' + i.unit + ')' : ''); }));
        var rows = t.regions.map(function (r, i) { return [r.name].concat(t.values[i].map(function (v) { return fmt(v, 2); })); });
        show('compare-table', table(heads, rows, heads.map(function (_, i) { return i > 0; })));
        var c = chart('compare-chart');
        if (!c) return;
        c.clear();
        c.setOption({
          tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 60, right: 20, top: 50, bottom: 40 },
          xAxis: { type: 'category', data: t.regions.map(function (r) { return r.name; }) },
          yAxis: { type: 'value' },
          series: t.indicators.map(function (ind, j) { return { type: 'bar', name: ind.name, data: t.values.map(function (r) { return r[j]; }) }; })
        });
      }).catch(function (e) { show('compare-table', note(errorText(e), 'error')); });
    }
    api('/api/v1/indicators?' + qs()).then(function (inds) {
      inds.forEach(function (ind) {
        var cb = el('input', { type: 'checkbox', value: ind.code, name: 'indicator' });
        if (ind.code === 'population_density' || ind.code === 'gdp_per_capita') cb.checked = true;
        list.appendChild(el('label', null, cb, ' ' + ind.name));
      });
      if (!list.querySelector('input:checked') && list.querySelector('input')) list.querySelector('input').checked = true;
      run();
    }).catch(function (e) { show('compare-table', note(errorText(e), 'error')); });
    form.addEventListener('submit', function (ev) { ev.preventDefault(); run(); });
    scope.addEventListener('change', run);
  }

  // ---- index builder ----
  function indexBuilder() {
    var form = document.getElementById('index-form');
    var fw = document.getElementById('fw');
    var errBox = document.getElementById('index-error');
    var current = null;
    function request() {
      var r = { dataset: DS, framework: fw.value };
      ['normalisation', 'weights', 'aggregation'].forEach(function (k) { var v = form.elements[k].value; if (v) r[k] = v; });
      return r;
    }
    var latest = 0; // answers to earlier choices that arrive late are dropped
    function run() {
      errBox.hidden = true;
      var mine = ++latest;
      api('/api/v1/composite?' + qs(), { method: 'POST', json: request() }).then(function (res) {
        if (mine !== latest) return;
        current = res;
        var units = res.units.slice().sort(function (a, b) { return (a.rank || 1e9) - (b.rank || 1e9); });
        show('index-table', table([T('排名', 'Rank'), T('地区', 'Region'), T('城市群', 'Agglomeration'), T('指数', 'Index')],
          units.map(function (u) { return [u.rank || '—', u.name, u.group || '', fmt(u.index, 2)]; }), [1, 0, 0, 1]));
        var c = chart('index-chart');
        if (!c) return;
        c.setOption({
          title: { text: res.framework.name, textStyle: { fontSize: 14 } },
          tooltip: {}, grid: { left: 110, right: 30, top: 40, bottom: 30 },
          xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: units.map(function (u) { return u.name; }) },
          series: [{ type: 'bar', data: units.map(function (u) { return u.index; }), itemStyle: { color: '#0b5fa5' } }]
        }, true);
      }).catch(function (e) { errBox.textContent = errorText(e); errBox.hidden = false; });
    }
    api('/api/v1/frameworks?' + qs()).then(function (fws) {
      fws.forEach(function (f) { fw.appendChild(el('option', { value: f.code, text: f.name + ' (' + f.code + ')' })); });
      run();
    }).catch(function (e) { errBox.textContent = errorText(e); errBox.hidden = false; });
    form.addEventListener('change', run);
    form.addEventListener('submit', function (ev) { ev.preventDefault(); run(); });

    var start = document.getElementById('ua-start'), cancel = document.getElementById('ua-cancel');
    var bar = document.getElementById('ua-progress'), status = document.getElementById('ua-status');
    var job = null, source = null;
    function finish(j) {
      start.disabled = false; cancel.disabled = true;
      if (source) { source.close(); source = null; }
      if (j.state === 'done') {
        bar.value = 1;
        status.textContent = T('完成：', 'Done: ') + j.result.runs + T(' 次运行', ' runs');
        renderUA(j);
      } else if (j.state === 'cancelled') status.textContent = T('已取消', 'Cancelled');
      else status.textContent = T('失败：', 'Failed: ') + (j.error || '');
    }
    start.addEventListener('click', function () {
      var r = request();
      r.n = parseInt(document.getElementById('ua-n').value, 10) || 500;
      start.disabled = true; status.textContent = T('运行中……', 'Running…'); bar.value = 0;
      api('/api/v1/uncertainty?' + qs(), { method: 'POST', json: r }).then(function (j) {
        job = j; cancel.disabled = false;
        source = new EventSource('/api/v1/uncertainty/' + j.id + '/events?' + qs());
        source.addEventListener('progress', function (ev) { var d = JSON.parse(ev.data); bar.value = d.progress; status.textContent = d.done + ' / ' + d.total; });
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
    var units = j.result.units.slice().sort(function (a, b) { return a.median_rank - b.median_rank || a.nominal_rank - b.nominal_rank; });
    var name = function (c) { return j.names[c] || c; };
    show('ua-table', table([T('地区', 'Region'), T('名义排名', 'Nominal rank'), T('中位排名', 'Median rank'), T('5% 分位', '5th pct'), T('95% 分位', '95th pct')],
      units.map(function (u) { return [name(u.code), u.nominal_rank, fmt(u.median_rank, 1), fmt(u.p05_rank, 1), fmt(u.p95_rank, 1)]; }), [0, 1, 1, 1, 1]));
    var c = chart('ua-chart');
    if (!c) return;
    c.setOption({
      tooltip: { trigger: 'axis' }, grid: { left: 110, right: 30, top: 40, bottom: 30 },
      legend: { top: 0, data: [T('5%–95% 排名区间', '5-95% rank interval'), T('中位排名', 'median rank'), T('名义排名', 'nominal rank')] },
      xAxis: { type: 'value', name: T('排名', 'rank'), min: 1, inverse: false },
      yAxis: { type: 'category', inverse: true, data: units.map(function (u) { return name(u.code); }) },
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
      var f = form.elements, mine = ++latest;
      var req = { dataset: DS, agglomeration: f.agglomeration.value, scenario: { domestic: f.domestic.value, international: f.international.value, resources: f.resources.value, stage: f.stage.value } };
      api('/api/v1/strategy?' + qs(), { method: 'POST', json: req }).then(function (r) { if (mine === latest) show('recommendations', renderStrategies(r)); })
        .catch(function (e) { if (mine === latest) show('recommendations', note(errorText(e), 'error')); });
    }
    form.addEventListener('change', run);
    run();
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

  function preview(id, target, append) {
    var p = new URLSearchParams({ lang: LANG, dataset: id });
    Promise.all([api('/api/v1/indicators?' + p), api('/api/v1/regions?' + p)]).then(function (res) {
      var frag = document.createDocumentFragment();
      frag.appendChild(el('h3', { text: T('指标', 'Indicators') }));
      frag.appendChild(table([T('代码', 'Code'), T('名称', 'Name'), T('单位', 'Unit'), T('观测', 'Observations'), T('年份', 'Years')],
        res[0].map(function (i) { return [i.code, i.name, i.unit, i.observations, i.years.join(', ')]; }), [0, 0, 0, 1, 0]));
      frag.appendChild(el('h3', { text: T('地区', 'Regions') }));
      var regs = res[1].slice(0, 200);
      var t = table([T('代码', 'Code'), T('名称', 'Name'), T('层级', 'Level'), T('观测', 'Observations')],
        regs.map(function (r) { return [r.code, r.name, r.level, r.observations]; }), [0, 0, 0, 1]);
      t.id = append ? 'uploaded-regions' : 'current-regions';
      frag.appendChild(t);
      if (res[1].length > regs.length) frag.appendChild(el('p', { class: 'muted', text: T('仅显示前 200 个地区', 'first 200 regions shown') }));
      var box = document.getElementById(target);
      if (!append) box.textContent = '';
      box.appendChild(frag);
    }).catch(function (e) { document.getElementById(target).appendChild(note(errorText(e), 'error')); });
  }

  var inits = { overview: overview, profile: profile, compare: compare, index: indexBuilder, scenario: scenario, data: data };
  function boot() { if (inits[PAGE]) inits[PAGE](); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
