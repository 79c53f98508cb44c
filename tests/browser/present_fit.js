async ([source, bodyMin, cardMin, labelMin, checkFonts]) => {
  /* Walks one deck (tests/browser/test_present_fit.py) as a clicker would: from its first slide
     (source, a URL), every state Next reaches (each slide, then each of its reveals) is fetched
     and swapped into this page as an htmx-boosted click does, fitted by present.js, and
     measured. Given the pages another tab fetched (source, a list of HTML), it measures those.
     Returns {states, problems, pages, waiting}: how many were measured, each problem as a
     sentence naming its slide and reveal, the pages fetched, and the milliseconds spent
     waiting for the server. One evaluation per deck: no page loads, no sleeps, no round trips. */
  const problems = [];
  const view = { w: window.innerWidth, h: window.innerHeight };
  const shown = (el) => el.checkVisibility({ visibilityProperty: true });
  const text = (el) => (el.innerText || el.alt || "").trim().slice(0, 40);
  const contentSelector = ".slide h1, .slide h2, .slide p, .slide li, .slide img, .slide nav a, "
    + ".reveal-item, .deck-actions > *";
  const measure = (where) => {
    const say = (problem) => problems.push(`${where}: ${problem}`);
    const slide = document.querySelector(".deck .slide");
    const bar = document.querySelector(".deck-bar").getBoundingClientRect();
    const room = slide.getBoundingClientRect();
    const page = document.scrollingElement;
    if (page.scrollHeight > view.h + 1 || page.scrollWidth > view.w + 1) {
      say(`the page scrolls (${page.scrollWidth}x${page.scrollHeight})`);
    }
    if (slide.scrollHeight > slide.clientHeight + 1) {
      say(`the slide needs scrolling (${slide.scrollHeight} px of content, ${slide.clientHeight} px of room)`);
    }
    if (slide.scrollWidth > slide.clientWidth + 1) {
      say(`the slide is too wide (${slide.scrollWidth} px for ${slide.clientWidth})`);
    }
    if (bar.height > 80) say(`the control bar wraps (${bar.height} px tall)`);
    const revealed = document.getElementById("revealed");
    if (revealed && document.activeElement !== revealed) say("the revealed answer does not take focus");
    for (const el of document.querySelectorAll(contentSelector)) {
      if (!shown(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const underBar = box.bottom > bar.top + 0.5 && box.top < bar.bottom && box.right > bar.left && box.left < bar.right;
      if (underBar) say(`the bar covers "${text(el)}"`);
      if (box.bottom > view.h + 0.5 || box.right > view.w + 0.5 || box.top < -0.5 || box.left < -0.5) {
        say(`off screen: "${text(el)}"`);
      } else if (el.closest(".slide") && (box.bottom > room.bottom + 0.5 || box.top < room.top - 0.5)) {
        say(`cut off the slide: "${text(el)}"`);
      }
      if (!checkFonts || el.tagName === "IMG" || el.closest(".deck-actions")) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      const small = el.closest(".reveal-nav, .slide__deck") ? labelMin
        : el.closest(".slide-cards, .slide-groups") ? cardMin : bodyMin;
      if (size < small - 0.05) say(`${size.toFixed(1)} px text (at least ${small}): "${text(el)}"`);
    }
  };
  const given = Array.isArray(source) ? source : null;
  const pages = [];
  let url = given ? null : source;
  let states = 0;
  let waiting = 0;  // ms spent waiting for the server, the rest is the browser's
  while (given ? states < given.length : url) {
    let html = given && given[states];
    if (!given) {
      const asked = performance.now();
      const response = await fetch(url);
      if (!response.ok) {
        problems.push(`${url}: HTTP ${response.status}`);
        break;
      }
      html = await response.text();
      waiting += performance.now() - asked;
      pages.push(html);
    }
    const fetched = new DOMParser().parseFromString(html, "text/html");
    document.querySelector("main").replaceWith(document.adoptNode(fetched.querySelector("main")));
    document.title = fetched.title;
    await Promise.all([...document.querySelectorAll(".slide img")].map(
      (img) => img.decode().catch(() => problems.push(`${url}: picture failed: ${img.src}`))));
    document.dispatchEvent(new Event("htmx:afterSettle"));  // present.js fits the slide
    const deck = document.querySelector(".deck");
    const reveal = Number(deck.dataset.shown);
    const kind = deck.querySelector(".slide").className.replace("slide slide--", "");
    measure(`slide ${deck.dataset.index}${reveal ? ` reveal ${reveal}` : ""} (${kind})`);
    states += 1;
    const next = document.querySelector('.deck-bar a[rel="next"]');
    url = next ? next.href : null;
  }
  return { states, problems, pages: given ? [] : pages, waiting };
}
