// Which navigation the page on screen belongs to. A page's data can arrive after the person
// went elsewhere (My work clicked while a slow pipeline loads): that page must then draw
// nothing, or it would replace the page asked for last under its address.
let shown = 0;

/** A navigation began (the router, before it loads anything). */
export function navigated() {
  shown += 1;
}

/** Whether the page asking is still the one on screen: call ``here()`` before loading, and
 * the function it returns after each wait. */
export function here() {
  const at = shown;
  return () => at === shown;
}
