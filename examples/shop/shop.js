/* Demo shop: the cart is kept in a cookie only with consent to "stored information" (policy
   6.4), the language only with consent to "preferences" (6.2). It uses the banner's API:
   window.opekaConsent.has(category) and the "opeka:consent" event. */
(function (w, d) {
  'use strict';
  var PRODUCTS = {
    dokument: ['Офисный пакет «Документ»', '“Dokument” office suite', 4900],
    shchit: ['Антивирус «Щит»', '“Shchit” antivirus', 2300],
    balans: ['Бухгалтерия «Баланс»', '“Balans” accounting', 12000],
    stroka: ['Редактор кода «Строка»', '“Stroka” code editor', 7500]
  };
  var TEXT = { on: ['работает', 'on'], off: ['выключена', 'off'], remove: ['Убрать', 'Remove'] };
  var cart = [], lang = 'ru';

  var allowed = function (c) { return !!(w.opekaConsent && w.opekaConsent.has(c)); };
  var t = function (pair) { return pair[lang === 'en' ? 1 : 0]; };
  function cookie(name) {
    var m = d.cookie.match(new RegExp('(?:^|;\\s*)' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : '';
  }
  function setCookie(name, value, days) {
    d.cookie = name + '=' + encodeURIComponent(value) + ';path=/;max-age=' + days * 86400 +
      ';samesite=lax';
  }
  function dropCookie(name) { d.cookie = name + '=;path=/;max-age=0'; }

  function setLang(l, remember) {
    lang = l === 'en' ? 'en' : 'ru';
    d.documentElement.lang = lang;
    d.querySelectorAll('[data-en]').forEach(function (e) {
      if (!e.hasAttribute('data-ru')) e.setAttribute('data-ru', e.textContent);
      e.textContent = e.getAttribute(lang === 'en' ? 'data-en' : 'data-ru');
    });
    d.querySelectorAll('[data-lang]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
    });
    if (remember && allowed('preferences')) setCookie('shop_lang', lang, 182);
    render();
  }

  function saveCart() {
    if (allowed('stored_information')) setCookie('shop_cart', cart.join('+'), 30);
    else dropCookie('shop_cart');
  }

  function render() {
    var count = d.getElementById('cart-count'), list = d.getElementById('cart-items');
    var note = d.getElementById('cart-note'), status = d.getElementById('analytics-status');
    if (count) count.textContent = String(cart.length);
    if (note) note.hidden = !cart.length || allowed('stored_information');
    if (status) status.textContent = t(w.shopAnalytics && w.shopAnalytics.running ? TEXT.on : TEXT.off);
    if (!list) return;
    list.textContent = '';
    cart.forEach(function (id, i) {
      var item = d.createElement('li'), remove = d.createElement('button');
      item.textContent = t(PRODUCTS[id]) + ' — ' + PRODUCTS[id][2].toLocaleString('ru-RU') + ' ₽ ';
      remove.type = 'button';
      remove.textContent = t(TEXT.remove);
      remove.addEventListener('click', function () { cart.splice(i, 1); saveCart(); render(); });
      item.append(remove);
      list.append(item);
    });
    d.getElementById('cart-empty').hidden = cart.length > 0;
  }

  function onConsent() {
    if (allowed('stored_information')) {
      if (!cart.length) cart = cookie('shop_cart').split('+').filter(function (id) { return PRODUCTS[id]; });
      saveCart();
    } else dropCookie('shop_cart');
    if (allowed('preferences')) {
      var saved = cookie('shop_lang');
      if (saved && saved !== lang) setLang(saved, false);
      else if (lang !== 'ru') setCookie('shop_lang', lang, 182);
    } else dropCookie('shop_lang');
    render();
  }

  d.querySelectorAll('.add').forEach(function (b) {
    b.addEventListener('click', function () {
      cart.push(b.getAttribute('data-product'));
      saveCart();
      render();
    });
  });
  d.querySelectorAll('[data-lang]').forEach(function (b) {
    b.addEventListener('click', function () { setLang(b.getAttribute('data-lang'), true); });
  });
  w.addEventListener('opeka:consent', onConsent);
  w.addEventListener('shop:analytics', render);
  setLang(new URLSearchParams(location.search).get('lang') || 'ru', false);
  if (w.opekaConsent && w.opekaConsent.get()) onConsent();
})(window, document);
