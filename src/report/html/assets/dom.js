// DOM helpers. Every text from the report's data goes in through createTextNode or textContent,
// and attribute values through setAttribute: nothing is ever parsed as HTML.

const SVG_NS = document.getElementById('svg-namespace').namespaceURI;

/** Appends children: strings and numbers as text, nodes as they are, arrays of them in order; null, undefined and false are skipped. */
function append(node, children) {
  for (const child of Array.isArray(children) ? children.flat(Infinity) : [children]) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  return node;
}

/** An HTML element: h('td', { class: 'num', text: '4' }) or h('div', {}, [children]). */
function h(tag, attrs, children) {
  return append(setAttributes(document.createElement(tag), attrs), children);
}

/** An SVG element, attributes as for h(). */
function s(tag, attrs, children) {
  return append(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

const integer = (n) => Number(n).toLocaleString('en-US');
const percent = (rate) => `${(rate * 100).toFixed(1)}%`;
/** A score as the summary keys it: integers as they are, others to two decimals. */
const scoreText = (score) => (score === null || score === undefined ? '' : Number.isInteger(score) ? String(score) : score.toFixed(2));
const signed = (x) => (x === null ? '' : `${x > 0 ? '+' : ''}${scoreText(x)}`);
