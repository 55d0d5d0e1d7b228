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
  function fmt(v) {
    if (v === null || v === undefined) { return '—'; }
    return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(2);
  }

  function barOption(c) {
    return {
      color: palette,
      animation: false,
      tooltip: {
        trigger: 'item', confine: true,
        formatter: function (it) {
          var d = it.data || {};
          return escapeHTML(it.name + ' · ' + it.seriesName) + '<br><b>' + escapeHTML(fmt(d.value)) + '</b>' +
            (d.prov ? '<br><span style="font-size:11px">' + escapeHTML(provLine(d.prov)) + '</span>' : '');
        }
      },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: c.categories.map(t), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: c.unit || '' },
      series: c.series.map(function (s) {
        return {
          type: 'bar', name: t(s.name), barMaxWidth: 36,
          label: { show: c.series.length <= 3, position: 'top', fontSize: 11, formatter: function (it) { return fmt(it.value) + (derived(it.data.prov) ? '†' : ''); } },
          data: s.points.map(function (p) {
            var item = { value: p.value, prov: p.prov };
            if (derived(p.prov)) {
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

  function radarOption(c) {
    return {
      color: palette,
      animation: false,
      tooltip: { trigger: 'item', confine: true },
      legend: { bottom: 0 },
      radar: { radius: '55%', center: ['50%', '48%'], axisName: { color: '#1d2733' }, indicator: c.categories.map(function (x) { return { name: t(x), max: c.max || undefined }; }) },
      series: [{
        type: 'radar', areaStyle: { opacity: 0.12 },
        data: c.series.map(function (s) { return { name: t(s.name), value: s.points.map(function (p) { return p.value; }) }; })
      }]
    };
  }

  // rangeOption draws rank intervals: series are p05, median, p95 and the
  // nominal value; the bar spans p05..p95 (rank 1 at the top).
  function rangeOption(c) {
    var v = function (i, k) { var p = c.series[i].points[k]; return p && p.value !== null && p.value !== undefined ? p.value : null; };
    var n = c.categories.length, base = [], span = [], med = [], nom = [];
    for (var k = 0; k < n; k++) {
      var lo = v(0, k), hi = v(2, k);
      base.push(lo === null ? null : lo);
      span.push(lo === null || hi === null ? null : Math.max(hi - lo, 0.05));
      med.push(v(1, k));
      nom.push(v(3, k));
    }
    return {
      color: palette, animation: false,
      tooltip: {
        trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
        formatter: function (items) {
          var k = items[0].dataIndex;
          return escapeHTML(items[0].name) + '<br>' + escapeHTML(t(c.series[3].name)) + ': ' + fmt(v(3, k)) + '<br>' +
            escapeHTML(t(c.series[1].name)) + ': ' + fmt(v(1, k)) + '<br>' + escapeHTML(t(c.series[0].name)) + '–' + escapeHTML(t(c.series[2].name)) + ': ' + fmt(v(0, k)) + '–' + fmt(v(2, k));
        }
      },
      legend: { top: 0, data: [t(c.series[1].name), t(c.series[3].name), t(c.series[0].name) + '–' + t(c.series[2].name)] },
      grid: { left: 48, right: 16, top: 40, bottom: 48 },
      xAxis: { type: 'category', data: c.categories.map(t), axisLabel: { interval: 0, rotate: n > 8 ? 35 : 0 } },
      yAxis: { type: 'value', inverse: true, min: 0.5, max: Math.max(n, 1) + 0.5, name: lang === 'zh' ? '位次' : 'rank', nameLocation: 'start', axisLabel: { formatter: function (x) { return x % 1 === 0 ? x : ''; } } },
      series: [
        { type: 'bar', stack: 'r', silent: true, itemStyle: { color: 'transparent' }, data: base, barMaxWidth: 18 },
        { type: 'bar', stack: 'r', name: t(c.series[0].name) + '–' + t(c.series[2].name), itemStyle: { color: 'rgba(47,69,84,0.25)', borderColor: '#2f4554' }, data: span, barMaxWidth: 18 },
        { type: 'scatter', name: t(c.series[1].name), symbol: 'diamond', symbolSize: 11, itemStyle: { color: '#c23531' }, data: med },
        { type: 'scatter', name: t(c.series[3].name), symbol: 'circle', symbolSize: 7, itemStyle: { color: '#2f4554' }, data: nom }
      ]
    };
  }

  function mapOption(m) {
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

  function option(spec) {
    if (spec.type === 'map') { return mapOption(spec.chart); }
    if (spec.chart.chart === 'range') { return rangeOption(spec.chart); }
    return spec.chart.chart === 'radar' ? radarOption(spec.chart) : barOption(spec.chart);
  }

  function draw() {
    charts.forEach(function (e) { e.inst.setOption(option(e.spec), true); });
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
  try {
    echarts.registerMap('china', JSON.parse(document.getElementById('china-map').textContent));
    mapOK = true;
  } catch (e) {
    console.error('agglo: china map not registered: ' + e);
  }
  data.charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el || (spec.type === 'map' && !mapOK)) { return; }
    charts.push({ spec: spec, inst: echarts.init(el, null, { renderer: 'svg' }) });
  });
  draw();
  document.getElementById('lang-switch').addEventListener('click', function () { setLang(lang === 'zh' ? 'en' : 'zh'); });
  window.addEventListener('resize', function () { charts.forEach(function (e) { e.inst.resize(); }); });
  window.addEventListener('beforeprint', function () { charts.forEach(function (e) { e.inst.resize(); }); });
  window.agglo = { setLang: setLang, charts: charts };
})();
