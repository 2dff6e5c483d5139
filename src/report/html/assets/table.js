// A sortable, filterable table over any number of rows. Only one page of rows is ever in the DOM,
// so ten thousand rows cost what a hundred do; sorting and filtering work on the data, not the DOM.

const PAGE_SIZE = 100;
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Orders two sort values: numbers and booleans by value, text by a natural order; empty values last whatever the direction. */
function compareValues(a, b, direction) {
  const aEmpty = a === null || a === undefined || a === '';
  const bEmpty = b === null || b === undefined || b === '';
  if (aEmpty || bEmpty) return aEmpty === bEmpty ? 0 : aEmpty ? 1 : -1;
  if (typeof a === 'string' || typeof b === 'string') return direction * collator.compare(String(a), String(b));
  return direction * (Number(a) - Number(b));
}

/**
 * spec: {
 *   name: what the table holds (data-table attribute),
 *   columns: [{ key, label, numeric?, sort(row) → value, cell(row) → text or node, className? }],
 *   rows: the rows in their default order (worst first),
 *   defaultOrder: the default order's name, for its button,
 *   haystack(row) → the text a filter searches, lower-cased,
 *   isError(row), detail(row) → node,
 * }
 */
function createTable(spec) {
  const state = { sortKey: null, direction: 1, query: '', errorsOnly: false, page: 0 };
  const open = new Set();
  let sorted = spec.rows;
  let shown = spec.rows;
  let haystacks = null;

  const filter = h('input', { type: 'search', class: 'filter', placeholder: 'Filter: id, text, reasoning, error…', 'aria-label': 'filter rows' });
  const errorsOnly = h('input', { type: 'checkbox', class: 'errors-only' });
  const reset = h('button', { type: 'button', class: 'worst-first', text: spec.defaultOrder });
  const count = h('span', { class: 'count', 'aria-live': 'polite' });
  const headRow = h('tr', {}, [h('th', { 'aria-label': 'details' })]);
  const headers = new Map();
  for (const column of spec.columns) {
    const th = h('th', { scope: 'col', class: column.numeric ? 'num' : null, 'data-key': column.key }, [
      h('button', { type: 'button', 'data-sort': column.key, title: `sort by ${column.label}` }, [column.label, h('span', { class: 'arrow' })]),
    ]);
    headers.set(column.key, th);
    headRow.appendChild(th);
  }
  const body = h('tbody');
  const table = h('table', { class: 'grid', 'data-table': spec.name }, [h('thead', {}, headRow), body]);
  const pager = h('div', { class: 'pager' });
  const root = h('div', { class: 'table-view' }, [
    h('div', { class: 'toolbar' }, [filter, h('label', {}, [errorsOnly, ' errors only']), reset, count]),
    h('div', { class: 'table-wrap' }, table),
    pager,
  ]);

  function haystackOf(index) {
    if (haystacks === null) haystacks = spec.rows.map(spec.haystack);
    return haystacks[index];
  }

  function resort() {
    if (state.sortKey === null) {
      sorted = spec.rows;
    } else {
      const column = spec.columns.find((c) => c.key === state.sortKey);
      // Sort values are read once per row, not once per comparison; ties keep the default order.
      const keyed = spec.rows.map((row, index) => ({ row, index, value: column.sort(row) }));
      keyed.sort((a, b) => compareValues(a.value, b.value, state.direction) || a.index - b.index);
      sorted = keyed.map((entry) => entry.row);
    }
    refilter();
  }

  const positions = new Map(spec.rows.map((row, index) => [row, index]));
  function refilter() {
    const query = state.query.trim().toLowerCase();
    shown = query === '' && !state.errorsOnly ? sorted : sorted.filter((row) => (!state.errorsOnly || spec.isError(row)) && (query === '' || haystackOf(positions.get(row)).includes(query)));
    state.page = 0;
    draw();
  }

  function draw() {
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const first = state.page * PAGE_SIZE;
    const rows = [];
    shown.slice(first, first + PAGE_SIZE).forEach((row) => {
      const expanded = open.has(row);
      const tr = h('tr', { class: `item${spec.isError(row) ? ' errored' : ''}`, 'data-id': row.id, 'aria-expanded': expanded ? 'true' : 'false' }, [
        h('td', {}, h('button', { type: 'button', class: 'expander', 'aria-label': `details of ${row.id}`, text: expanded ? '▾' : '▸' })),
        ...spec.columns.map((column) => h('td', { class: [column.numeric ? 'num' : '', column.className || ''].join(' ').trim() || null, 'data-key': column.key }, column.cell(row))),
      ]);
      tr.rowRef = row;
      rows.push(tr);
      if (expanded) rows.push(h('tr', { class: 'detail' }, h('td', { colspan: spec.columns.length + 1 }, spec.detail(row))));
    });
    if (rows.length === 0) rows.push(h('tr', {}, h('td', { class: 'empty', colspan: spec.columns.length + 1, text: spec.rows.length === 0 ? 'No rows.' : 'No rows match.' })));
    body.replaceChildren(...rows);

    const last = Math.min(first + PAGE_SIZE, shown.length);
    count.textContent = shown.length === 0 ? `0 of ${integer(spec.rows.length)} rows` : `rows ${integer(first + 1)}–${integer(last)} of ${integer(shown.length)}${shown.length < spec.rows.length ? ` (filtered from ${integer(spec.rows.length)})` : ''}`;
    for (const [key, th] of headers) {
      const active = state.sortKey === key;
      th.setAttribute('aria-sort', active ? (state.direction === 1 ? 'ascending' : 'descending') : 'none');
      th.querySelector('.arrow').textContent = active ? (state.direction === 1 ? ' ▲' : ' ▼') : '';
    }
    reset.disabled = state.sortKey === null;
    pager.replaceChildren(
      pageButton('first', '« first', 0, state.page > 0),
      pageButton('prev', '‹ previous', state.page - 1, state.page > 0),
      h('span', { class: 'count page', text: `page ${integer(state.page + 1)} of ${integer(pages)}` }),
      pageButton('next', 'next ›', state.page + 1, state.page < pages - 1),
      pageButton('last', 'last »', pages - 1, state.page < pages - 1),
    );
  }

  function pageButton(name, label, page, enabled) {
    const button = h('button', { type: 'button', 'data-page': name, text: label });
    button.disabled = !enabled;
    button.addEventListener('click', () => {
      state.page = page;
      draw();
      root.scrollIntoView({ block: 'start' });
    });
    return button;
  }

  headRow.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-sort]');
    if (!button) return;
    const key = button.getAttribute('data-sort');
    state.direction = state.sortKey === key ? -state.direction : 1;
    state.sortKey = key;
    resort();
  });
  reset.addEventListener('click', () => {
    state.sortKey = null;
    state.direction = 1;
    resort();
  });
  let typing = null;
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    // Wait for a pause in typing: each filter pass reads every row.
    typing = setTimeout(() => {
      state.query = filter.value;
      refilter();
    }, 120);
  });
  errorsOnly.addEventListener('change', () => {
    state.errorsOnly = errorsOnly.checked;
    refilter();
  });
  body.addEventListener('click', (event) => {
    if (event.target.closest('tr.detail')) return;
    const tr = event.target.closest('tr.item');
    if (!tr || !tr.rowRef) return;
    if (open.has(tr.rowRef)) open.delete(tr.rowRef);
    else open.add(tr.rowRef);
    draw();
  });

  draw();
  return root;
}
