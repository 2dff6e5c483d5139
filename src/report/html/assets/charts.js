// Charts as inline SVG, drawn from the summary's figures (computed in Node; nothing is recounted here).

const CHART_WIDTH = 480;

function chart(key, caption, body) {
  return h('figure', { class: 'chart', 'data-chart': key }, [h('figcaption', { text: caption }), body]);
}

/** Histogram buckets: every score of a small whole-number scale (empty ones too), else the keys, else 20 equal bins. */
function histogramBuckets(histogram, scale) {
  const keys = Object.keys(histogram).sort((a, b) => Number(a) - Number(b));
  const whole = keys.every((key) => Number.isInteger(Number(key)));
  if (whole && scale && scale.max - scale.min <= 20) {
    const all = new Set(keys.map(Number));
    for (let score = scale.min; score <= scale.max; score++) all.add(score);
    return [...all].sort((a, b) => a - b).map((score) => ({ key: String(score), label: String(score), count: histogram[String(score)] || 0 }));
  }
  if (keys.length <= 30) return keys.map((key) => ({ key, label: key, count: histogram[key] }));
  const lo = Number(keys[0]);
  const hi = Number(keys[keys.length - 1]);
  const bins = 20;
  const width = (hi - lo) / bins;
  const buckets = Array.from({ length: bins }, (_, i) => {
    const from = lo + i * width;
    return { key: `${scoreText(from)}-${scoreText(from + width)}`, label: scoreText(from), count: 0 };
  });
  for (const key of keys) buckets[Math.min(bins - 1, Math.floor((Number(key) - lo) / width))].count += histogram[key];
  return buckets;
}

function histogramChart(summary, scale) {
  if (Object.keys(summary.histogram).length === 0) return null;
  const buckets = histogramBuckets(summary.histogram, scale);
  const most = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const [top, bottom, height] = [16, 20, 150];
  const plot = height - top - bottom;
  const step = CHART_WIDTH / buckets.length;
  const barWidth = Math.max(2, step * 0.78);
  const showCounts = buckets.length <= 24;
  const svg = s('svg', { class: 'plot', viewBox: `0 0 ${CHART_WIDTH} ${height}`, role: 'img', 'aria-label': 'score histogram' });
  buckets.forEach((bucket, i) => {
    const barHeight = (bucket.count / most) * plot;
    const x = i * step + (step - barWidth) / 2;
    const g = s('g', { 'data-bin': bucket.key, 'data-count': bucket.count }, [
      s('title', { text: `score ${bucket.key}: ${integer(bucket.count)} rows` }),
      s('rect', { class: 'bar', x, y: top + plot - barHeight, width: barWidth, height: Math.max(barHeight, bucket.count > 0 ? 1 : 0) }),
    ]);
    if (showCounts) g.appendChild(s('text', { class: 'count', x: x + barWidth / 2, y: top + plot - barHeight - 4, 'text-anchor': 'middle', text: integer(bucket.count) }));
    if (showCounts || i % Math.ceil(buckets.length / 10) === 0) {
      g.appendChild(s('text', { x: x + barWidth / 2, y: height - 5, 'text-anchor': 'middle', text: bucket.label }));
    }
    svg.appendChild(g);
  });
  svg.appendChild(s('line', { class: 'axis', x1: 0, x2: CHART_WIDTH, y1: top + plot + 0.5, y2: top + plot + 0.5 }));
  return chart('histogram', 'scores: rows per score', svg);
}

/** A horizontal share (0..1) with its 95% interval as a whisker. */
function shareBar(share, ci, label, key) {
  const height = 44;
  const w = CHART_WIDTH;
  const svg = s('svg', { class: 'plot', viewBox: `0 0 ${w} ${height}`, role: 'img', 'aria-label': label, 'data-share': share });
  svg.appendChild(s('rect', { class: 'fail', x: 0, y: 8, width: w, height: 16, rx: 3 }));
  svg.appendChild(s('rect', { class: 'pass', x: 0, y: 8, width: share * w, height: 16, rx: 3 }));
  if (ci) {
    svg.appendChild(s('line', { class: 'whisker', x1: ci[0] * w, x2: ci[1] * w, y1: 16, y2: 16 }));
    for (const end of ci) svg.appendChild(s('line', { class: 'whisker', x1: end * w, x2: end * w, y1: 11, y2: 21 }));
  }
  svg.appendChild(s('text', { x: 0, y: 38, text: '0%' }));
  svg.appendChild(s('text', { x: w, y: 38, 'text-anchor': 'end', text: '100%' }));
  svg.appendChild(s('text', { class: 'strong', x: Math.min(Math.max(share * w, 30), w - 30), y: 38, 'text-anchor': 'middle', text: percent(share) }));
  return chart(key, label, svg);
}

function passChart(summary) {
  if (summary.pass_rate === null || summary.pass_rate === undefined) return null;
  return shareBar(summary.pass_rate, summary.pass_rate_ci95, 'pass rate, with its 95% interval', 'pass_rate');
}

function pairwiseChart(summary) {
  const pairwise = summary.pairwise;
  if (!pairwise) return null;
  const total = pairwise.a + pairwise.tie + pairwise.b;
  if (total === 0) return null;
  const height = 44;
  const svg = s('svg', { class: 'plot', viewBox: `0 0 ${CHART_WIDTH} ${height}`, role: 'img', 'aria-label': 'pairwise verdicts' });
  let x = 0;
  for (const [key, cls, n] of [['A', 'pass', pairwise.a], ['tie', 'tie', pairwise.tie], ['B', 'bar', pairwise.b]]) {
    const width = (n / total) * CHART_WIDTH;
    svg.appendChild(s('g', { 'data-verdict': key, 'data-count': n }, [
      s('title', { text: `${key}: ${integer(n)}` }),
      s('rect', { class: cls, x, y: 8, width, height: 16 }),
      n > 0 ? s('text', { class: 'strong', x: x + width / 2, y: 38, 'text-anchor': 'middle', text: `${key} ${integer(n)}` }) : null,
    ]));
    x += width;
  }
  return chart('pairwise', 'pairwise verdicts: A won · tie · B won', svg);
}

/** Horizontal bars, one per entry: [name, value, detail text]. */
function horizontalBars(key, caption, entries, max, format) {
  const rowHeight = 22;
  const labelWidth = 150;
  const height = entries.length * rowHeight + 4;
  const svg = s('svg', { class: 'plot', viewBox: `0 0 ${CHART_WIDTH} ${height}`, role: 'img', 'aria-label': caption });
  const room = CHART_WIDTH - labelWidth - 70;
  entries.forEach(([name, value, extra], i) => {
    const y = i * rowHeight + 4;
    const width = max > 0 ? Math.max(0, (value / max) * room) : 0;
    const g = s('g', { 'data-name': name, 'data-value': value }, [
      s('title', { text: `${name}: ${format(value)}` }),
      s('text', { x: labelWidth - 6, y: y + 13, 'text-anchor': 'end', text: name.length > 22 ? `${name.slice(0, 21)}…` : name }),
      s('rect', { class: 'track', x: labelWidth, y: y + 3, width: room, height: 13, rx: 2 }),
      s('rect', { class: 'bar', x: labelWidth, y: y + 3, width, height: 13, rx: 2 }),
      s('text', { class: 'strong', x: labelWidth + room + 6, y: y + 13, text: format(value) }),
    ]);
    if (extra) extra(g, labelWidth, room, y);
    svg.appendChild(g);
  });
  return chart(key, caption, svg);
}

function labelsChart(summary) {
  if (!summary.labels || Object.keys(summary.labels).length === 0) return null;
  const entries = Object.entries(summary.labels).map(([label, n]) => [label, n]);
  return horizontalBars('labels', 'labels: rows per label', entries, Math.max(...entries.map((e) => e[1])), integer);
}

function criteriaChart(summary, scale) {
  if (!summary.criteria || Object.keys(summary.criteria).length === 0) return null;
  const min = scale ? scale.min : 0;
  const max = scale ? scale.max : Math.max(1, ...Object.values(summary.criteria).map((c) => (c.ci95 ? c.ci95[1] : c.mean || 0)));
  const entries = Object.entries(summary.criteria)
    .filter(([, c]) => c.mean !== null)
    .map(([name, c]) => [
      name,
      c.mean - min,
      (g, left, room, y) => {
        if (!c.ci95) return;
        const at = (v) => left + Math.max(0, Math.min(1, (v - min) / (max - min))) * room;
        g.appendChild(s('line', { class: 'whisker', x1: at(c.ci95[0]), x2: at(c.ci95[1]), y1: y + 9.5, y2: y + 9.5 }));
      },
    ]);
  // Means as the figures print them: two decimals, three on a 0..1 scale.
  const shown = (value) => (value + min).toFixed(Math.abs(value + min) < 1 ? 3 : 2);
  return horizontalBars('criteria', `criteria: mean score (scale ${min} to ${max}) with 95% interval`, entries, max - min, shown);
}

function confusionTable(confusion) {
  if (!confusion || !confusion.labels || confusion.labels.length === 0) return null;
  const head = h('tr', {}, [h('th', { text: 'human \\ judge' }), ...confusion.labels.map((label) => h('th', { scope: 'col', text: label }))]);
  const rows = confusion.matrix.map((cells, i) => h('tr', {}, [h('th', { scope: 'row', text: confusion.labels[i] }), ...cells.map((n) => h('td', { text: integer(n) }))]));
  return h('figure', { class: 'chart', 'data-chart': 'confusion' }, [
    h('figcaption', { text: 'confusion: human label (rows) against the judge (columns)' }),
    h('table', { class: 'confusion' }, [h('thead', {}, head), h('tbody', {}, rows)]),
  ]);
}
