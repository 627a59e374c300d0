// h(tag, attrs, ...children): builds DOM nodes. Text always goes in as text,
// never as HTML, so names chosen by users cannot inject markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    // Through the CSSOM: the Content-Security-Policy forbids style attributes.
    else if (key === 'style') el.style.cssText = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// An SVG element, for charts.
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// A table: `columns` are [heading, cell(row), className?].
export function table(label, columns, rows, rowAttrs = () => ({})) {
  return h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {}, columns.map(([head, , cls]) => h('th', { scope: 'col', class: cls }, head)))),
    h('tbody', {}, rows.map((row) =>
      h('tr', rowAttrs(row), columns.map(([, cell, cls]) => h('td', { class: cls }, cell(row)))))));
}
