#!/usr/bin/env node
// Sanity checks for regions.csv; no dependencies.
//
// Usage: node check.js [REGIONS_CSV] [REFERENCE_CSV]
// REFERENCE_CSV, if given, is a CSV with columns adcode, seat_lon, seat_lat
// (e.g. the agglomeration seats file); the distance between its seats and the
// registry coordinates is reported for every adcode found in both.
'use strict';

const fs = require('fs');
const path = require('path');

const regionsPath = process.argv[2] || path.join(__dirname, '..', 'regions.csv');
const refPath = process.argv[3];

// Minimal CSV parser (RFC 4180 quoting).
function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

let failures = 0;
function fail(msg) { failures++; console.error('FAIL: ' + msg); }

const rows = parseCSV(fs.readFileSync(regionsPath, 'utf8'));
const byCode = new Map(rows.map((r) => [r.adcode, r]));
if (byCode.size !== rows.length) fail('duplicate adcodes');

const counts = {};
for (const r of rows) {
  counts[r.level] = (counts[r.level] || 0) + 1;
  if (!/^\d{6}$/.test(r.adcode)) fail(`bad adcode ${r.adcode}`);
  if (!['province', 'city', 'county'].includes(r.level)) fail(`bad level ${r.adcode} ${r.level}`);
  if (r.level === 'province') {
    if (r.parent_adcode !== '' || !r.adcode.endsWith('0000')) fail(`bad province ${r.adcode}`);
  } else {
    const p = byCode.get(r.parent_adcode);
    if (!p || p.level !== 'province' || p.adcode.slice(0, 2) !== r.adcode.slice(0, 2)) fail(`bad parent of ${r.adcode}`);
  }
  if (!r.name_zh.startsWith(r.short_zh) || r.short_zh.length < 2) fail(`short name ${r.adcode} ${r.short_zh}`);
  if (!/^[A-Z][A-Za-zü' ()]+$/.test(r.name_en)) fail(`English name ${r.adcode} ${r.name_en}`);
  if (r.city_adcode_alias && !/^\d\d0100$/.test(r.city_adcode_alias)) fail(`alias ${r.adcode}`);
  if (r.lon !== '') {
    const lon = Number(r.lon); const lat = Number(r.lat);
    if (!(lon > 73 && lon < 136 && lat > 3 && lat < 54)) fail(`coordinates outside China ${r.adcode} ${lon},${lat}`);
    if (!r.coord_source) fail(`no coord_source ${r.adcode}`);
  }
}
console.log(`${rows.length} rows: ` + Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', '));
console.log('without coordinates: ' + (rows.filter((r) => r.lon === '').map((r) => `${r.adcode} ${r.name_zh}`).join('; ') || 'none'));
console.log('municipality aliases: ' + rows.filter((r) => r.city_adcode_alias).map((r) => `${r.adcode}->${r.city_adcode_alias}`).join(' '));

function km(lon1, lat1, lon2, lat2) {
  const rad = Math.PI / 180;
  const a = Math.sin((lat2 - lat1) * rad / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin((lon2 - lon1) * rad / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

if (refPath) {
  const alias = new Map(rows.filter((r) => r.city_adcode_alias).map((r) => [r.city_adcode_alias, r.adcode]));
  const ref = parseCSV(fs.readFileSync(refPath, 'utf8'));
  const d = [];
  let notFound = 0;
  for (const s of ref) {
    const r = byCode.get(s.adcode) || byCode.get(alias.get(s.adcode));
    if (!r || r.lon === '' || s.seat_lon === '' || s.seat_lon === undefined) { notFound++; console.log(`  not compared: ${s.adcode} ${s.city_zh || ''}`); continue; }
    d.push([km(Number(r.lon), Number(r.lat), Number(s.seat_lon), Number(s.seat_lat)), s.adcode, r.name_zh]);
  }
  d.sort((a, b) => b[0] - a[0]);
  const mean = d.reduce((t, x) => t + x[0], 0) / (d.length || 1);
  console.log(`reference: ${ref.length} rows, ${d.length} compared, ${notFound} not compared; ` +
    `max ${d.length ? d[0][0].toFixed(3) : 'n/a'} km, mean ${mean.toFixed(3)} km`);
  for (const [dist, code, name] of d.slice(0, 5)) console.log(`  ${dist.toFixed(3)} km  ${code} ${name}`);
}

if (failures) { console.error(`${failures} check(s) failed`); process.exit(1); }
console.log('all checks passed');
