// A tiny element builder: text goes in as text (never as HTML), so names from the data are safe.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A <select> over [value, text] pairs. */
export function select(attrs, options, selected) {
  return h('select', attrs, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
}

/** Show the userErrors of a mutation next to the inputs they name (data-field="input.name"). */
export function showUserErrors(form, errors) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  for (const error of errors) {
    const path = error.field.join('.');
    let anchor = null;
    for (let n = error.field.length; n > 0 && !anchor; n -= 1) {
      anchor = form.querySelector(`[data-field="${CSS.escape(error.field.slice(0, n).join('.'))}"]`);
    }
    const note = h('p', { class: 'field-error', role: 'alert', dataset: { for: path, code: error.code } }, error.message);
    if (anchor) { anchor.setAttribute('aria-invalid', 'true'); anchor.after(note); } else form.prepend(note);
  }
}

/** Offer a file for download. */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
