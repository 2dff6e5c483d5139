// What a row shows when opened: the judge's answer, the reasoning, a panel's votes, the error, and the judge input.

function block(title, content) {
  return h('section', { class: 'detail-block' }, [h('h3', { text: title }), content]);
}

function definitions(pairs) {
  const shown = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (shown.length === 0) return h('p', { class: 'note', text: 'nothing recorded' });
  return h('dl', {}, shown.flatMap(([name, value]) => [h('dt', { text: name }), h('dd', {}, value)]));
}

const yesNo = (value) => (value === null || value === undefined ? null : value ? 'pass' : 'fail');

function answerBlock(row) {
  const criteria = row.criteria ? Object.entries(row.criteria).map(([name, score]) => `${name} ${scoreText(score)}`).join(' · ') : null;
  return block('Judge answer', definitions([
    ['score', scoreText(row.score)],
    ['pass', yesNo(row.pass)],
    ['verdict', row.verdict === null ? null : `${row.verdict}${row.flipped ? ' (the two orders disagreed)' : ''}`],
    ['label', row.label],
    ['criteria', criteria],
    ['agreement', row.agreement === null ? null : `${percent(row.agreement)} of the samples agree`],
    ['scoring', row.scoring],
  ]));
}

function samplesBlock(samples) {
  if (!samples || samples.length === 0) return null;
  const hasOrder = samples.some((sample) => sample.order !== null);
  const columns = [['repeat', (x) => x.repeat]];
  if (hasOrder) columns.push(['order', (x) => x.order]);
  columns.push(['score', (x) => scoreText(x.score)], ['pass', (x) => yesNo(x.pass)], ['verdict', (x) => x.verdict], ['label', (x) => x.label], ['reasoning', (x) => x.reasoning]);
  const used = columns.filter(([name, read]) => name === 'repeat' || samples.some((sample) => read(sample) !== null && read(sample) !== ''));
  return block(`Samples (${samples.length})`, h('table', { class: 'samples' }, [
    h('thead', {}, h('tr', {}, used.map(([name]) => h('th', { text: name })))),
    h('tbody', {}, samples.map((sample) => h('tr', {}, used.map(([, read]) => h('td', { text: read(sample) ?? '' }))))),
  ]));
}

/** A panel's row: each judge's grade, its error when it failed, and its reasoning, one after another. */
function votesBlock(votes) {
  if (!votes || votes.length === 0) return null;
  return block(`Votes (${votes.length} judges)`, votes.map((vote) => {
    const grade = [
      vote.score === null ? null : `score ${scoreText(vote.score)}`,
      yesNo(vote.pass),
      vote.verdict === null ? null : `verdict ${vote.verdict}`,
      vote.label === null ? null : `label ${vote.label}`,
    ].filter(Boolean).join(' · ');
    return h('div', { class: 'vote', 'data-vote': vote.judge }, [
      h('div', { class: 'vote-head' }, [h('span', { class: 'vote-judge', text: vote.judge }), grade ? h('span', { class: 'vote-grade', text: grade }) : null]),
      vote.error ? h('p', { class: 'error-text', text: `${vote.error.code}: ${vote.error.message}` }) : null,
      vote.reasoning === null ? null : h('pre', { class: 'text reasoning', text: vote.reasoning }),
    ]);
  }));
}

function judgeInputBlock(row, run) {
  if (row.input) {
    return block('Judge input', row.input.map(([role, textIndex]) => h('div', { class: 'message' }, [
      h('div', { class: 'role', text: role }),
      h('pre', { class: 'text', text: data.texts[textIndex] }),
    ])));
  }
  const fields = Object.entries(row.fields || {}).flatMap(([name, value]) => [
    h('dt', { text: name }),
    h('dd', {}, h('pre', { class: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) })),
  ]);
  return block('Row fields (the judge input is not rendered)', [
    h('p', { class: 'note warn', text: row.input_note || run.input_note }),
    h('dl', {}, fields),
  ]);
}

/** The detail of one record of `run`. */
function rowDetail(row, run) {
  return h('div', { class: 'detail-grid', 'data-detail': row.id }, [
    h('div', {}, [
      row.error ? block('Error', h('p', { class: 'error-text', text: `${row.error.code}: ${row.error.message}` })) : null,
      answerBlock(row),
      block('Reasoning', h('pre', { class: 'text reasoning', text: row.reasoning ?? '(none)' })),
      votesBlock(row.votes),
      samplesBlock(row.samples),
      block('Request', definitions([
        ['model', row.model],
        ['attempts', integer(row.attempts)],
        ['latency', `${integer(row.latency_ms)} ms`],
        ['tokens', `${integer(row.tokens.prompt)} in · ${integer(row.tokens.completion)} out`],
      ])),
    ]),
    h('div', {}, judgeInputBlock(row, run)),
  ]);
}
