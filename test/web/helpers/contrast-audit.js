/**
 * WCAG 2.x AA text contrast audit, injected into the page under test (plain JS: it runs in the browser,
 * and the root tsconfig has no DOM lib). Defines globalThis.__contrastAudit(), which returns every
 * visible text element whose contrast is below 4.5:1 (3:1 for large text) against its effective
 * background. Colours are resolved through a canvas, so any CSS colour syntax (Tailwind 4 emits oklch)
 * becomes sRGB the same way the browser paints it. Disabled controls are exempt, as in WCAG 1.4.3.
 * globalThis.__backgroundContrast(a, b) is the ratio between the backgrounds two elements show (a
 * control's states, e.g. a vote given and not given, need 3:1, WCAG 1.4.11).
 */
(() => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });

  function rgba(color) {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return { r, g, b, a: a / 255 };
  }

  function luminance({ r, g, b }) {
    const channel = (v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }

  function over(top, bottom) {
    const a = top.a;
    return {
      r: top.r * a + bottom.r * (1 - a),
      g: top.g * a + bottom.g * (1 - a),
      b: top.b * a + bottom.b * (1 - a),
      a: 1,
    };
  }

  function background(element) {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const color = rgba(getComputedStyle(node).backgroundColor);
      if (color.a > 0) layers.push(color);
      if (color.a === 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  }

  function visible(element) {
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
    const box = element.getBoundingClientRect();
    return (
      box.width > 1 &&
      box.height > 1 &&
      box.bottom > 0 &&
      box.right > 0 &&
      box.top < innerHeight &&
      box.left < innerWidth
    );
  }

  globalThis.__backgroundContrast = (a, b) => {
    const [hi, lo] = [luminance(background(a)), luminance(background(b))].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };

  globalThis.__contrastAudit = () => {
    const failures = [];
    for (const element of document.querySelectorAll('body *')) {
      const text = [...element.childNodes]
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent.trim())
        .join('');
      const placeholder = element.matches('input:placeholder-shown') ? element.placeholder : '';
      if (!text && !placeholder) continue;
      if (!visible(element) || element.closest('[disabled], [aria-disabled="true"], [hidden]')) continue;
      const style = getComputedStyle(element);
      const fg = rgba(placeholder && !text ? getComputedStyle(element, '::placeholder').color : style.color);
      const bg = background(element);
      const [hi, lo] = [luminance(over(fg, bg)), luminance(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      if (ratio < needed)
        failures.push({ text: (text || placeholder).slice(0, 60), ratio: Math.round(ratio * 100) / 100, needed });
    }
    return failures;
  };
})();
