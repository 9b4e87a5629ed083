/* A stand-in for an analytics counter: it sets a visitor cookie and counts "pings" while it is
   allowed. The banner runs it only with consent to analytics (policy 6.5) and removes its
   cookie (declared in data-cookies) when that consent is withdrawn; it stops itself then. */
(function (w, d) {
  'use strict';
  var state = { ran: true, running: true, pings: 0 };
  w.shopAnalytics = state;
  if (!/(?:^|;\s*)shop_visitor=/.test(d.cookie)) {
    d.cookie = 'shop_visitor=' + Math.random().toString(36).slice(2) + ';path=/;max-age=' +
      182 * 86400 + ';samesite=lax';
  }
  var timer = setInterval(function () { state.pings += 1; }, 1000);
  w.addEventListener('opeka:consent', function () {
    if (w.opekaConsent.has('analytics')) return;
    clearInterval(timer);
    state.running = false;
    w.dispatchEvent(new Event('shop:analytics'));
  });
  w.dispatchEvent(new Event('shop:analytics'));
})(window, document);
