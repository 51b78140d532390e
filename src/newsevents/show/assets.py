"""The pages' own stylesheet and script, inlined into every page (nothing is fetched).

The script reads the page's data from ``<script type="application/json" id="ne-data">`` and
only ever sets ``textContent`` (never ``innerHTML``), so a text holding markup stays text.
"""

from __future__ import annotations

# Entity types in ontology order take these colours; an unknown type takes the last one.
ENTITY_COLOURS = (
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#42d4f4",
    "#f032e6",
    "#9a6324",
    "#469990",
    "#808080",
)
# Event types: outline colours, by ontology order.
EVENT_COLOURS = (
    "#b30000",
    "#d45500",
    "#1a1a1a",
    "#7a0177",
    "#005a32",
    "#238b45",
    "#08519c",
    "#54278f",
    "#a63603",
    "#006d2c",
    "#3f007d",
    "#67000d",
    "#252525",
    "#00441b",
    "#4d4d4d",
)

CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.5 "DejaVu Sans", Arial, sans-serif; margin: 0; color: #111; background: #fff; }
header, main, section.below { padding: 0 1.2rem; }
h1 { font-size: 1.35rem; margin: 0.8rem 0 0.3rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
a { color: #1a4fa0; }
table { border-collapse: collapse; margin: 0.3rem 0 0.8rem; }
th, td { border: 1px solid #ccc; padding: 0.15rem 0.45rem; text-align: left; vertical-align: top; font-size: 0.9rem; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; }
.warn { background: #fff3cd; border: 1px solid #e0c36b; padding: 0.4rem 0.7rem; margin: 0.5rem 0; }
.layout { display: flex; gap: 1rem; align-items: flex-start; }
.text { white-space: pre-wrap; line-height: 2.6; flex: 3; font-size: 1rem; max-width: 58rem; }
.cols { display: flex; gap: 1rem; }
.cols > div { flex: 1; min-width: 0; }
aside#panel { flex: 1; position: sticky; top: 0.5rem; min-width: 16rem; max-width: 26rem; border: 1px solid #bbb;
  padding: 0.5rem 0.7rem; background: #fafafa; font-size: 0.9rem; max-height: 96vh; overflow: auto; }
aside#panel h3 { margin: 0.2rem 0 0.3rem; font-size: 1rem; }
aside#panel ul { padding-left: 1.1rem; margin: 0.2rem 0; }
.legend span.sw { display: inline-block; padding: 0 0.35rem; margin: 0 0.3rem 0.2rem 0; border-radius: 3px; }
.m { border-bottom: 2px solid var(--c); background: color-mix(in srgb, var(--c) 13%, transparent); cursor: pointer;
  border-radius: 2px; }
.m.NOM { border-bottom-style: dashed; }
.m.PRO { border-bottom-style: dotted; }
.m.h2 { padding-bottom: 4px; } .m.h3 { padding-bottom: 8px; } .m.h4 { padding-bottom: 12px; }
.m.h5, .m.h6, .m.h7, .m.h8 { padding-bottom: 16px; }
.t { outline: 2px solid var(--c); outline-offset: -1px; font-weight: bold; cursor: pointer; border-radius: 2px; }
.t.generic { outline-style: dashed; } .t.other { outline-style: dotted; }
.chain-on { background: #ffe066 !important; box-shadow: 0 0 0 2px #f0a800; }
.arg-on { background: #b7f0c0 !important; box-shadow: 0 0 0 2px #2a9d3a; }
.trig-on { background: #ffd1d1 !important; }
.diff-on { box-shadow: 0 0 0 3px #000 !important; }
.x { text-decoration: underline wavy 2px; text-underline-offset: 5px; }
.x.missed { text-decoration-color: #d00; } .x.spurious { text-decoration-color: #e08000; }
.x.wrong-type { text-decoration-color: #7a00d0; } .x.wrong-span { text-decoration-color: #0060d0; }
.x.wrong-role { text-decoration-color: #008a60; }
tr.diff { cursor: pointer; } tr.diff:hover { background: #eef; }
td.cls { font-weight: bold; }
pre.ctx { white-space: pre-wrap; margin: 0; font-size: 0.85rem; }
.small { font-size: 0.85rem; color: #444; }
"""

# Shared by the document and the comparison pages. ``data``: {"mentions": {id: {...}},
# "events": {id: {...}}, "chains": {cluster: [mention ids]}, "side": optional prefix}.
JS = """
(function () {
  'use strict';
  var node = document.getElementById('ne-data');
  if (!node) { return; }
  var data = JSON.parse(node.textContent);
  var panel = document.getElementById('panel');
  var pinned = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(cls) {
    document.querySelectorAll('.' + cls).forEach(function (e) { e.classList.remove(cls); });
  }
  function mark(side, selector, cls) {
    var root = side ? document.getElementById('text-' + side) : document;
    if (!root) { return; }
    root.querySelectorAll(selector).forEach(function (e) { e.classList.add(cls); });
  }
  function q(v) { return '"' + String(v).replace(/\\\\/g, '\\\\\\\\').replace(/"/g, '\\\\"') + '"'; }
  function docOf(side) { return side ? data.sides[side] : data; }
  function mentionLine(doc, mid) {
    var m = doc.mentions[mid];
    if (!m) { return mid; }
    return m.text + '  (' + m.type + ' ' + m.kind + ', ' + mid + ' [' + m.start + ', ' + m.end + '))';
  }
  function resetPanel() {
    clear('chain-on'); clear('arg-on'); clear('trig-on');
    if (panel) { panel.textContent = ''; }
  }
  function showChain(side, mid) {
    var doc = docOf(side);
    var m = doc.mentions[mid];
    if (!m) { return; }
    resetPanel();
    mark(side, '.m[data-entity=' + q(m.entity) + ']', 'chain-on');
    if (!panel) { return; }
    panel.appendChild(el('h3', 'Chain ' + m.entity + (side ? ' (' + side.toUpperCase() + ')' : '')));
    var members = doc.chains[m.entity] || [];
    panel.appendChild(el('div', members.length + ' mention(s), type ' + m.type, 'small'));
    var ul = el('ul');
    members.forEach(function (id) { ul.appendChild(el('li', mentionLine(doc, id))); });
    panel.appendChild(ul);
    var roles = [];
    Object.keys(doc.events).forEach(function (eid) {
      var ev = doc.events[eid];
      ev.arguments.forEach(function (a) {
        if (members.indexOf(a.mention) >= 0) { roles.push(a.role + ' of ' + ev.type + ' "' + ev.trigger + '" (' + eid + ')'); }
      });
    });
    if (roles.length) {
      panel.appendChild(el('h3', 'Arguments of events'));
      var ul2 = el('ul');
      roles.forEach(function (r) { ul2.appendChild(el('li', r)); });
      panel.appendChild(ul2);
    }
  }
  function showEvent(side, eid) {
    var doc = docOf(side);
    var ev = doc.events[eid];
    if (!ev) { return; }
    resetPanel();
    mark(side, '.t[data-event-id=' + q(eid) + ']', 'trig-on');
    if (!panel) { return; }
    panel.appendChild(el('h3', ev.type + ': "' + ev.trigger + '"' + (side ? ' (' + side.toUpperCase() + ')' : '')));
    panel.appendChild(el('div', 'realis ' + ev.realis + ' \\u00b7 event ' + ev.event + ' \\u00b7 ' + eid, 'small'));
    var tbl = el('table');
    var head = el('tr'); head.appendChild(el('th', 'role')); head.appendChild(el('th', 'argument'));
    tbl.appendChild(head);
    ev.arguments.forEach(function (a) {
      var tr = el('tr');
      tr.appendChild(el('td', a.role));
      tr.appendChild(el('td', mentionLine(doc, a.mention)));
      tbl.appendChild(tr);
      mark(side, '.m[data-id=' + q(a.mention) + ']', 'arg-on');
    });
    if (!ev.arguments.length) { panel.appendChild(el('div', 'no arguments', 'small')); } else { panel.appendChild(tbl); }
  }
  function sideOf(e) {
    var box = e.closest('[data-side]');
    return box ? box.getAttribute('data-side') : '';
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target.closest('.t');
    var m = ev.target.closest('.m');
    var row = ev.target.closest('tr[data-select]');
    if (row) {
      var kind = row.getAttribute('data-select'), id = row.getAttribute('data-ref'), side = row.getAttribute('data-side') || '';
      if (kind === 'chain') { showChain(side, id); } else if (kind === 'event') { showEvent(side, id); }
      pinned = true;
      return;
    }
    if (t) { showEvent(sideOf(t), t.getAttribute('data-event-id')); pinned = true; }
    else if (m) { showChain(sideOf(m), m.getAttribute('data-id')); pinned = true; }
    var d = ev.target.closest('tr.diff');
    if (d) {
      clear('diff-on');
      var id = d.getAttribute('data-diff');
      document.querySelectorAll('[data-diffs~=' + q(id) + ']').forEach(function (e) { e.classList.add('diff-on'); });
      var first = document.querySelector('[data-diffs~=' + q(id) + ']');
      if (first) { first.scrollIntoView({block: 'center'}); }
    }
  });
  document.addEventListener('mouseover', function (ev) {
    var t = ev.target.closest('.t');
    if (t && !pinned) { showEvent(sideOf(t), t.getAttribute('data-event-id')); }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') { pinned = null; resetPanel(); clear('diff-on'); }
  });
})();
"""
