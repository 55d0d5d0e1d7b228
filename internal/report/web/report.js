(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('agglo-data').textContent);
  var root = document.documentElement;
  var lang = root.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var charts = [];
  var palette = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#749f83', '#ca8622', '#6e7074'];

  function t(x) { return x ? (x[lang] || x.zh || x.en || '') : ''; }
  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function derived(p) { return !!(p && (p.kind === 'derived' || p.kind === 'computed')); }
  function provLine(p) {
    if (!p) { return ''; }
    var zh = lang === 'zh';
    if (p.kind === 'published') { return (zh ? '已发表：' : 'published: ') + p.ref; }
    if (p.kind === 'imported') { return (zh ? '导入：' : 'imported: ') + p.ref; }
    return (zh ? '推算值 †：' : 'derived †: ') + (p.formula || '');
  }
  // fmt writes a number with d decimals and thousands separators, as the
  // report's tables do (agglo's internal/format).
  function fmt(v, d) {
    if (v === null || v === undefined || isNaN(v)) { return '—'; }
    if (d === undefined || d === null) { d = Math.abs(v) >= 100 ? 1 : 2; }
    var s = Math.abs(v).toFixed(d), parts = s.split('.');
    if (parts[0].length > 3) { parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
    s = parts.join('.');
    return (v < 0 && /[1-9]/.test(s) ? '-' : '') + s;
  }

  // categoryAxis lays out category labels: never dropped (interval 0),
  // wrapped to the width each category has.
  function categoryAxis(c, el, horizontal) {
    var n = Math.max(c.categories.length, 1);
    var width = el ? el.clientWidth : 800;
    var axis = { type: 'category', data: c.categories.map(t), axisTick: { alignWithLabel: true } };
    if (horizontal) {
      axis.inverse = true;
      axis.axisLabel = { interval: 0, width: Math.max(90, Math.min(260, width * 0.3)), overflow: 'break', color: '#1d2733' };
    } else {
      axis.axisLabel = { interval: 0, width: Math.max(40, width / n - 12), overflow: 'break', color: '#1d2733', lineHeight: 14 };
    }
    return axis;
  }

  function referenceLine(c, horizontal) {
    if (c.reference === null || c.reference === undefined) { return undefined; }
    var d = {};
    d[horizontal ? 'xAxis' : 'yAxis'] = c.reference;
    return { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#b0302a', width: 1.5 }, label: { show: false }, data: [d] };
  }

  function barOption(c, mixed, el) {
    var horizontal = !!c.horizontal, dec = c.decimals;
    var valueAxis = { type: 'value', name: t(c.unit), nameLocation: horizontal ? 'middle' : 'end', nameGap: horizontal ? 30 : 12,
      nameTextStyle: horizontal ? {} : { align: 'left' }, axisLabel: { formatter: function (x) { return fmt(x, x % 1 === 0 ? 0 : undefined); } } };
    var cat = categoryAxis(c, el, horizontal);
    return {
      color: palette,
      animation: false,
      tooltip: {
        trigger: 'item', confine: true,
        formatter: function (it) {
          var d = it.data || {};
          return escapeHTML(it.name + ' · ' + it.seriesName) + '<br><b>' + escapeHTML(fmt(d.value, dec)) + '</b>' +
            (d.prov ? '<br><span style="font-size:11px">' + escapeHTML(provLine(d.prov)) + '</span>' : '');
        }
      },
      legend: { top: 0, type: 'scroll', show: c.series.length > 1 },
      grid: { left: 12, right: horizontal ? 56 : 16, top: c.series.length > 1 ? 44 : 32, bottom: horizontal ? 36 : 8, containLabel: true },
      xAxis: horizontal ? valueAxis : cat,
      yAxis: horizontal ? cat : valueAxis,
      series: c.series.map(function (s, k) {
        return {
          type: 'bar', name: t(s.name), barMaxWidth: horizontal ? 22 : 36,
          markLine: k === 0 ? referenceLine(c, horizontal) : undefined,
          label: { show: c.series.length <= 3, position: horizontal ? 'right' : 'top', fontSize: 11, formatter: function (it) { return fmt(it.value, dec) + (mixed && derived(it.data.prov) ? '†' : ''); } },
          data: s.points.map(function (p) {
            var item = { value: p.value, prov: p.prov };
            if (mixed && derived(p.prov)) {
              item.itemStyle = { opacity: 0.5, borderType: 'dashed', borderWidth: 1.5, borderColor: '#333',
                decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: -0.785, color: 'rgba(255,255,255,0.6)' } };
              item.label = { fontStyle: 'italic' };
            }
            return item;
          })
        };
      })
    };
  }

  // wrapName breaks a long axis name into lines of about 12 characters
  // (at spaces in English), so that radar labels are never clipped.
  function wrapName(name) {
    var max = lang === 'zh' ? 7 : 14;
    if (name.length <= max) { return name; }
    if (lang === 'zh') { return name.match(new RegExp('.{1,' + max + '}', 'g')).join('\n'); }
    var lines = [], cur = '';
    name.split(' ').forEach(function (w) {
      if (cur && (cur + ' ' + w).length > max) { lines.push(cur); cur = w; } else { cur = cur ? cur + ' ' + w : w; }
    });
    if (cur) { lines.push(cur); }
    return lines.join('\n');
  }

  function radarOption(c) {
    return {
      color: palette,
      animation: false,
      tooltip: { trigger: 'item', confine: true },
      legend: { bottom: 0 },
      radar: { radius: '52%', center: ['50%', '50%'], axisName: { color: '#1d2733', formatter: wrapName }, indicator: c.categories.map(function (x) { return { name: t(x), max: c.max || undefined }; }) },
      series: [{
        type: 'radar', areaStyle: { opacity: 0.12 },
        data: c.series.map(function (s) { return { name: t(s.name), value: s.points.map(function (p) { return p.value; }) }; })
      }]
    };
  }

  // rangeOption draws rank intervals: series are p05, median, p95 and the
  // nominal value; the bar spans p05..p95 (rank 1 at the top).
  function rangeOption(c, el) {
    var v = function (i, k) { var p = c.series[i].points[k]; return p && p.value !== null && p.value !== undefined ? p.value : null; };
    var n = c.categories.length, base = [], span = [], med = [], nom = [], dec = c.decimals;
    var horizontal = !!c.horizontal;
    for (var k = 0; k < n; k++) {
      var lo = v(0, k), hi = v(2, k);
      base.push(lo === null ? null : lo);
      span.push(lo === null || hi === null ? null : Math.max(hi - lo, 0.05));
      med.push(v(1, k));
      nom.push(v(3, k));
    }
    var rankAxis = { type: 'value', inverse: !horizontal, min: 0.5, max: Math.max(n, 1) + 0.5, name: lang === 'zh' ? '位次' : 'rank',
      nameLocation: horizontal ? 'middle' : 'start', nameGap: horizontal ? 30 : 12, axisLabel: { formatter: function (x) { return x % 1 === 0 ? x : ''; } } };
    var cat = categoryAxis(c, el, horizontal);
    var pair = function (vals) { return horizontal ? vals.map(function (x, i) { return [x, i]; }) : vals; };
    return {
      color: palette, animation: false,
      tooltip: {
        trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
        formatter: function (items) {
          var k = items[0].dataIndex;
          return escapeHTML(c.categories[k] ? t(c.categories[k]) : '') + '<br>' + escapeHTML(t(c.series[3].name)) + ': ' + fmt(v(3, k), 0) + '<br>' +
            escapeHTML(t(c.series[1].name)) + ': ' + fmt(v(1, k), dec) + '<br>' + escapeHTML(t(c.series[0].name)) + '–' + escapeHTML(t(c.series[2].name)) + ': ' + fmt(v(0, k), dec) + '–' + fmt(v(2, k), dec);
        }
      },
      legend: { top: 0, data: [t(c.series[1].name), t(c.series[3].name), t(c.series[0].name) + '–' + t(c.series[2].name)] },
      grid: { left: 12, right: 24, top: 44, bottom: horizontal ? 36 : 8, containLabel: true },
      xAxis: horizontal ? rankAxis : cat,
      yAxis: horizontal ? cat : rankAxis,
      series: [
        { type: 'bar', stack: 'r', silent: true, itemStyle: { color: 'transparent' }, data: base, barMaxWidth: 18 },
        { type: 'bar', stack: 'r', name: t(c.series[0].name) + '–' + t(c.series[2].name), itemStyle: { color: 'rgba(47,69,84,0.25)', borderColor: '#2f4554' }, data: span, barMaxWidth: 18 },
        { type: 'scatter', name: t(c.series[1].name), symbol: 'diamond', symbolSize: 11, itemStyle: { color: '#c23531' }, data: pair(med) },
        { type: 'scatter', name: t(c.series[3].name), symbol: 'circle', symbolSize: 7, itemStyle: { color: '#2f4554' }, data: pair(nom) }
      ]
    };
  }

  // lineOption draws lines over the years (categories) or over a value
  // axis (c.x: a density's grid); a density's height gets no numbers.
  function lineOption(c, el) {
    var numeric = !!(c.x && c.x.length), dec = c.decimals;
    var xAxis = numeric ? { type: 'value', name: t(c.x_unit), nameLocation: 'middle', nameGap: 30,
      axisLabel: { hideOverlap: true, formatter: function (x) { return fmt(x, x % 1 === 0 ? 0 : undefined); } } } : categoryAxis(c, el, false);
    if (!numeric) { xAxis.boundaryGap = false; }
    var yAxis = { type: 'value', name: t(c.unit), nameTextStyle: { align: 'left' }, scale: !c.hide_values,
      axisLabel: c.hide_values ? { show: false } : { formatter: function (x) { return fmt(x, x % 1 === 0 ? 0 : undefined); } }, splitLine: { show: !c.hide_values } };
    return {
      color: palette, animation: false,
      tooltip: {
        trigger: 'axis', confine: true,
        valueFormatter: c.hide_values ? function () { return ''; } : function (v) { return fmt(v, dec); },
        axisPointer: { label: { formatter: function (p) { return numeric ? fmt(p.value, dec) : p.value; } } }
      },
      legend: { top: 0, type: 'scroll' },
      // Room on both sides for the first and last value labels.
      grid: { left: numeric ? 48 : 12, right: numeric ? 56 : 28, top: 44, bottom: numeric ? 36 : 8, containLabel: true },
      xAxis: xAxis, yAxis: yAxis,
      series: c.series.map(function (s) {
        return {
          type: 'line', name: t(s.name), showSymbol: !numeric, symbolSize: 6, smooth: false,
          data: s.points.map(function (p, i) { return numeric ? [c.x[i], p.value] : p.value; })
        };
      })
    };
  }

  // clusterMapOption colours units by class (LISA cluster types, hot and
  // cold spots): provinces as polygons, cities as points; the legend names
  // each class with its number of units.
  function clusterMapOption(m) {
    var pieces = m.groups.map(function (g, i) { return { value: i, label: t(g.name) + ' (' + (g.points || []).length + ')', color: g.color }; });
    var opt = {
      animation: false,
      tooltip: { trigger: 'item', formatter: function (it) {
        var d = it.data || {}, k = Array.isArray(d.value) ? d.value[2] : d.value;
        if (k === undefined || k === null || !m.groups[k]) { return ''; }
        return escapeHTML((d.unit || it.name) + ' · ' + t(m.groups[k].name));
      } },
      visualMap: { type: 'piecewise', pieces: pieces, orient: 'vertical', inverse: true, left: 8, bottom: 8, seriesIndex: 0, selectedMode: false,
        itemWidth: 14, itemHeight: 10, textStyle: { color: '#1d2733' }, dimension: m.regions ? undefined : 2 },
      geo: { map: 'china', roam: true, zoom: 1.05, center: [104.5, 36.5], label: { show: false },
        itemStyle: { areaColor: '#f7f8fa', borderColor: '#a9b4c0' }, emphasis: { itemStyle: { areaColor: '#dde3ea' }, label: { show: false } } }
    };
    var data = [];
    m.groups.forEach(function (g, i) {
      (g.points || []).forEach(function (p) {
        if (m.regions) { data.push({ name: geoNames[p.code] || t(p.name), value: i, unit: t(p.name) }); }
        else { data.push({ name: t(p.name), value: [p.lon, p.lat, i], unit: t(p.name) }); }
      });
    });
    if (m.regions) {
      opt.series = [{ type: 'map', map: 'china', geoIndex: 0, data: data }];
    } else {
      var n = data.length;
      opt.series = [{ type: 'scatter', coordinateSystem: 'geo', symbolSize: n > 150 ? 6 : (n > 60 ? 8 : 10), itemStyle: { borderColor: '#fff', borderWidth: 0.5 }, data: data }];
    }
    return opt;
  }

  function mapOption(m) {
    if (m.kind === 'clusters') { return clusterMapOption(m); }
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: function (it) { return escapeHTML(it.seriesName + ' · ' + it.name); } },
      legend: { top: 0, data: m.groups.map(function (g) { return t(g.name); }) },
      geo: { map: 'china', roam: true, zoom: 1.05, center: [104.5, 36.5], label: { show: false },
        itemStyle: { areaColor: '#eef1f5', borderColor: '#a9b4c0' }, emphasis: { itemStyle: { areaColor: '#dde3ea' }, label: { show: false } } },
      series: m.groups.map(function (g) {
        return {
          type: 'scatter', coordinateSystem: 'geo', name: t(g.name), symbolSize: 8,
          itemStyle: { color: g.color, borderColor: '#fff', borderWidth: 0.6 },
          data: g.points.map(function (p) { return { name: t(p.name) + (p.partial ? ' *' : ''), value: [p.lon, p.lat] }; })
        };
      })
    };
  }

  function option(spec, el) {
    if (spec.type === 'map') { return mapOption(spec.chart); }
    if (spec.chart.chart === 'range') { return rangeOption(spec.chart, el); }
    if (spec.chart.chart === 'line') { return lineOption(spec.chart, el); }
    return spec.chart.chart === 'radar' ? radarOption(spec.chart) : barOption(spec.chart, !!spec.mixed, el);
  }

  function draw() {
    charts.forEach(function (e) { e.inst.setOption(option(e.spec, e.el), true); });
  }

  function setLang(l) {
    lang = l;
    root.setAttribute('data-lang', l);
    root.setAttribute('lang', l);
    document.querySelectorAll('[data-tzh]').forEach(function (el) {
      el.setAttribute('title', el.getAttribute(l === 'en' ? 'data-ten' : 'data-tzh'));
    });
    draw();
  }

  var mapOK = false;
  // geoNames maps a province's code to its name on the base map.
  var geoNames = {};
  try {
    var geo = JSON.parse(document.getElementById('china-map').textContent);
    (geo.features || []).forEach(function (f) { geoNames[f.id] = f.properties && f.properties.name; });
    echarts.registerMap('china', geo);
    mapOK = true;
  } catch (e) {
    console.error('agglo: china map not registered: ' + e);
  }
  data.charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el || (spec.type === 'map' && !mapOK)) { return; }
    charts.push({ spec: spec, el: el, inst: echarts.init(el, null, { renderer: 'svg' }) });
  });
  draw();
  document.getElementById('lang-switch').addEventListener('click', function () { setLang(lang === 'zh' ? 'en' : 'zh'); });
  function resize() { charts.forEach(function (e) { e.inst.resize(); }); draw(); }
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  if (window.matchMedia) {
    var pm = window.matchMedia('print');
    if (pm.addEventListener) { pm.addEventListener('change', resize); }
  }
  window.agglo = { setLang: setLang, charts: charts };
})();
