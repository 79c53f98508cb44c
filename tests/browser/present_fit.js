async ([bodyMin, cardMin, labelMin, checkFonts]) => {
  /* One evaluation per slide and board size (tests/browser/test_present_fit.py): the slide as it
     opens, then with each reveal open; returns a list of problems, each a sentence. */
  const settle = () => new Promise((done) => setTimeout(done, 0));  // the toggle event's task
  const problems = [];
  const slide = document.querySelector(".deck .slide");
  const bar = document.querySelector(".deck-bar").getBoundingClientRect();
  const view = { w: window.innerWidth, h: window.innerHeight };
  const shown = (el) => el.checkVisibility({ visibilityProperty: true });
  const text = (el) => (el.innerText || el.alt || "").trim().slice(0, 40);
  const measure = (state) => {
    const room = slide.getBoundingClientRect();
    const page = document.scrollingElement;
    if (page.scrollHeight > view.h + 1 || page.scrollWidth > view.w + 1) {
      problems.push(`${state}: the page scrolls (${page.scrollWidth}x${page.scrollHeight})`);
    }
    if (slide.scrollHeight > slide.clientHeight + 1) {
      problems.push(`${state}: the slide needs scrolling (${slide.scrollHeight} px of content, ${slide.clientHeight} px of room)`);
    }
    if (slide.scrollWidth > slide.clientWidth + 1) {
      problems.push(`${state}: the slide is too wide (${slide.scrollWidth} px for ${slide.clientWidth})`);
    }
    const content = document.querySelectorAll(
      ".slide h1, .slide h2, .slide p, .slide li, .slide img, .slide summary, .reveal-item, .deck-actions > *");
    for (const el of content) {
      if (!shown(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const underBar = box.bottom > bar.top + 0.5 && box.top < bar.bottom && box.right > bar.left && box.left < bar.right;
      if (underBar) problems.push(`${state}: the bar covers "${text(el)}"`);
      if (box.bottom > view.h + 0.5 || box.right > view.w + 0.5 || box.top < -0.5 || box.left < -0.5) {
        problems.push(`${state}: off screen: "${text(el)}"`);
      } else if (el.closest(".slide") && (box.bottom > room.bottom + 0.5 || box.top < room.top - 0.5)) {
        problems.push(`${state}: cut off the slide: "${text(el)}"`);
      }
      if (!checkFonts || el.tagName === "IMG" || el.closest(".deck-actions")) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      const small = el.closest(".reveal > summary, .slide__deck") ? labelMin
        : el.closest(".reveal__body, .slide-cards") ? cardMin : bodyMin;
      if (size < small - 0.05) problems.push(`${state}: ${size.toFixed(1)} px text (at least ${small}): "${text(el)}"`);
    }
  };
  measure("closed");
  for (const [number, reveal] of [...document.querySelectorAll(".slide details.reveal")].entries()) {
    reveal.open = true;
    await settle();
    measure(`reveal ${number + 1} open`);
    for (const item of reveal.querySelectorAll(".reveal-item")) {
      if (!shown(item)) problems.push(`reveal ${number + 1} open: answer not shown: "${text(item)}"`);
    }
    reveal.open = false;
    await settle();
  }
  return problems;
}
