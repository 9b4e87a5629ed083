/*! Opeka first-party page-view beacon: include as a blocked script, so that it runs only with
   analytics consent: <script type="text/plain" data-category="analytics" src=".../analytics.js"> */
(function (d) {
  'use strict';
  var me = d.currentScript, ref = '';
  if (!me || !navigator.sendBeacon) return;
  try {
    var r = d.referrer && new URL(d.referrer);
    if (r && r.host !== location.host) ref = r.hostname;
  } catch (e) { /* no referrer host */ }
  navigator.sendBeacon(new URL('pageview', me.src).href,
    JSON.stringify({ path: location.pathname, referrer: ref }));
})(document);
