// The ranking of the systems a run's pairwise rows name: `verdict rank`'s figures, computed in Node
// (src/stats/rank.ts); the page only lays them out, each rating with its interval as text and as a bar.

const ratingText = (elo) => elo.toFixed(0);
const rangeText = (ci, show) => (ci ? `${show(ci[0])}–${show(ci[1])}` : '');

/** The rating scale shared by a table's bars: every rating and interval end, and the baseline's 1000. */
function ratingScale(systems) {
  const values = systems.flatMap((line) => [line.elo, ...(line.elo_ci95 || [])]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(1, (hi - lo) * 0.04);
  return { lo: lo - pad, hi: hi + pad };
}

/** A rating as a dot on the table's scale, its 95% interval as a whisker, a faint line at the baseline. */
function ratingBar(line, scale) {
  const [w, height] = [160, 14];
  const x = (elo) => ((elo - scale.lo) / (scale.hi - scale.lo)) * w;
  const svg = s('svg', { class: 'spark', viewBox: `0 0 ${w} ${height}`, role: 'img', 'aria-label': `rating ${ratingText(line.elo)}${line.elo_ci95 ? `, 95% interval ${rangeText(line.elo_ci95, ratingText)}` : ''}` });
  svg.appendChild(s('line', { class: 'axis', x1: x(1000), x2: x(1000), y1: 0, y2: height }));
  if (line.elo_ci95) {
    const [from, to] = line.elo_ci95.map(x);
    svg.appendChild(s('line', { class: 'whisker', x1: from, x2: to, y1: height / 2, y2: height / 2 }));
    for (const end of [from, to]) svg.appendChild(s('line', { class: 'whisker', x1: end, x2: end, y1: 3, y2: height - 3 }));
  }
  svg.appendChild(s('circle', { class: 'dot', cx: x(line.elo), cy: height / 2, r: 3.5 }));
  return svg;
}

function rankingTable(ranking) {
  const scale = ratingScale(ranking.systems);
  const isBaseline = (line) => line.system === ranking.baseline;
  const columns = [
    { key: 'rank', label: '#', numeric: true, cell: (line) => String(line.rank) },
    { key: 'system', label: 'system', cell: (line) => line.system },
    { key: 'elo', label: 'rating (Elo)', numeric: true, cell: (line) => ratingText(line.elo) },
    { key: 'elo_ci95', label: '95% interval', numeric: true, cell: (line) => (isBaseline(line) ? 'baseline' : rangeText(line.elo_ci95, ratingText)) },
    { key: 'elo_bar', label: '', cell: (line) => ratingBar(line, scale) },
    { key: 'win_rate', label: `win rate vs ${ranking.baseline}`, numeric: true, cell: (line) => (line.win_rate === null ? '' : `${percent(line.win_rate)} of ${integer(line.vs_baseline)}`) },
    { key: 'win_rate_ci95', label: '95% interval', numeric: true, cell: (line) => rangeText(line.win_rate_ci95, percent) },
    { key: 'battles', label: 'battles', numeric: true, cell: (line) => integer(line.battles) },
  ];
  const head = h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.numeric ? 'num' : null, text: column.label })));
  const rows = ranking.systems.map((line) => h('tr', { 'data-system': line.system, class: isBaseline(line) ? 'baseline' : null }, columns.map((column) =>
    h('td', { 'data-key': column.key, class: column.numeric ? 'num' : null }, column.cell(line)))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'grid ranked' }, [h('thead', {}, head), h('tbody', {}, rows)]));
}

/** The Ranking section: a table for each run whose rows are pairwise and name their systems, or why one has none. */
function rankingSection() {
  const ranked = data.runs.map((run, index) => ({ run, index })).filter(({ run }) => run.ranking || run.ranking_notes.length > 0);
  if (ranked.length === 0) return null;
  return h('section', { class: 'ranking', id: 'ranking', 'aria-label': 'ranking' }, [
    h('h2', { text: 'Ranking' }),
    ...ranked.map(({ run, index }) => h('div', { 'data-ranking': index }, [
      twoRuns ? h('h3', { text: `${letters[index]}: ${run.name}` }) : null,
      run.ranking ? rankingTable(run.ranking) : null,
      ...run.ranking_notes.map((note) => h('p', { class: run.ranking ? 'note' : 'note warn', text: note })),
    ])),
  ]);
}
