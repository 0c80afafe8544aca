"""What a browser test checks on every page it visits, measured by Chromium itself.

The JavaScript here runs in Playwright's own script world, so it works on pages opened with
JavaScript disabled too.
"""

# WCAG 2.x relative luminance and contrast; the effective background is the ancestors' background
# colours composited (the site has no background images).
_COLOUR = """
const rgba = (s) => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const over = (fg, bg) => fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
const background = (el) => {  // translucent layers composited over the first opaque one (or white)
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  return layers.reverse().reduce((bg, layer) => over(layer, bg), [255, 255, 255]).map(Math.round);
};
const describe = (el) => `${el.tagName.toLowerCase()} "${(el.tagName === 'INPUT' && el.type !== 'submit' ? el.name
  : el.innerText || el.value || el.name || '').trim().slice(0, 40)}"`;
const shown = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  return el.getClientRects().length > 0 && s.visibility !== 'hidden' && r.right > 0 && r.bottom > 0; };
"""

PAGE_PROBLEMS = (
    "(width) => {"
    + _COLOUR
    + """
  const problems = [];
  const doc = document.documentElement;
  if (doc.lang !== 'ru') problems.push(`<html lang="${doc.lang}">`);
  // A phone browser zooms out to fit a too-wide page, so compare with the window we opened too.
  if (doc.scrollWidth > Math.min(window.innerWidth, width))
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} px > ${Math.min(window.innerWidth, width)} px`);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    if (!el.labels || el.labels.length === 0 || !el.labels[0].textContent.trim())
      problems.push(`a field without a label: ${el.name || el.id}`);
  }
  document.querySelectorAll('table').forEach((t, i) => {
    if (!t.querySelector('thead th[scope], th[scope=col]')) problems.push(`table ${i + 1} has no column header cells`);
  });
  for (const el of document.body.querySelectorAll('*')) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!text || !shown(el)) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    const ratio = contrast(over(rgba(s.color), bg), bg);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5))
      problems.push(`contrast ${ratio.toFixed(2)} < ${large ? 3 : 4.5}: "${text.slice(0, 40)}" (${s.color} on rgb(${bg}))`);
  }
  return problems;
}"""
)

# Touch targets in the menu and in forms: at least 44×44 CSS px. A checkbox is tapped through its
# label, so the label's box counts for it. Links inside running text are exempt (WCAG 2.5.5).
SMALL_TARGETS = (
    "(minimum) => {"
    + _COLOUR
    + """
  const targets = document.querySelectorAll(
    'nav.menu a, nav.menu summary, nav.menu button, form input, form button, form select, form textarea, a.button');
  const small = [];
  for (const el of targets) {
    if (el.type === 'hidden' || !shown(el)) continue;
    const box = (el.type === 'checkbox' || el.type === 'radio') && el.labels.length
      ? el.labels[0].getBoundingClientRect() : el.getBoundingClientRect();
    if (box.width < minimum || box.height < minimum)
      small.push(`${describe(el)} ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  return small;
}"""
)

# The focus ring of the element that has focus: its width and its contrast with what it is drawn on.
FOCUS_RING = (
    "() => {"
    + _COLOUR
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const drawnOn = background(el.parentElement);
  return {
    element: describe(el),
    width: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth),
    contrast: contrast(rgba(s.outlineColor).slice(0, 3), drawnOn),
  };
}"""
)


def page_problems(page) -> list[str]:
    return page.evaluate(PAGE_PROBLEMS, page.viewport_size["width"])


def small_targets(page, minimum: int = 44) -> list[str]:
    return page.evaluate(SMALL_TARGETS, minimum)


def focus_ring(page) -> dict | None:
    return page.evaluate(FOCUS_RING)
