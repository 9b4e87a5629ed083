/*! Opeka cookie banner: first-party, no dependencies, no inline code or styles. */
(function (w, d) {
  'use strict';
  var me = d.currentScript;
  if (!me || w.opekaConsent) return;
  var base = me.src, nonce = me.nonce, NAME = 'opeka_consent';
  var cfg, state, box, opener, cssReady, asked, inerted = [];
  var gpc = navigator.globalPrivacyControl === true;

  var url = function (path) { return new URL(path, base).href; };
  var now = function () { return Math.floor(Date.now() / 1000); };
  var lang = function () {
    var l = (d.documentElement.lang || '').slice(0, 2).toLowerCase();
    return cfg.t[l] ? l : cfg.lang;
  };
  var tr = function (text) { return text[lang()] || text[cfg.lang]; };
  var optional = function () {
    return cfg.categories.filter(function (c) { return !c.on; }).map(function (c) { return c.code; });
  };
  var ready = function (f) {
    d.readyState === 'loading' ? d.addEventListener('DOMContentLoaded', f) : f();
  };

  function read() {
    var m = d.cookie.match(/(?:^|;\s*)opeka_consent=([^;]*)/), p = m && m[1].split('.');
    if (!p || p.length !== 5 || p[0] !== '1') return null;
    return { id: p[1], v: p[2], at: +p[3], granted: p[4] === '-' ? [] : p[4].split('+') };
  }

  // The stored choice while its notice is current and it has not expired.
  function current() {
    return cfg && state && state.v === cfg.v && now() - state.at < cfg.days * 86400 ? state : null;
  }

  function has(code) {
    var c = current();
    return !!cfg && cfg.categories.some(function (k) {
      return k.code === code && (k.on || (!!c && c.granted.indexOf(code) >= 0));
    });
  }

  function newId() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join('');
  }

  function send(body) {
    var data = JSON.stringify(body), to = url(cfg.events);
    if (!(navigator.sendBeacon && navigator.sendBeacon(to, data))) {
      fetch(to, { method: 'POST', body: data, keepalive: true }).catch(function () {});
    }
  }

  function emit(method) {
    var c = current();
    w.dispatchEvent(new CustomEvent('opeka:consent', {
      detail: { method: method, granted: c ? c.granted.slice() : [], id: c ? c.id : null }
    }));
  }

  function decide(granted, method) {
    var prev = current(), opt = optional();
    granted = opt.filter(function (c) { return granted.indexOf(c) >= 0; });
    var lost = (prev ? prev.granted : []).filter(function (c) { return granted.indexOf(c) < 0; });
    if (lost.length) method = 'withdraw';
    state = { id: state ? state.id : newId(), v: cfg.v, at: now(), granted: granted };
    d.cookie = NAME + '=' + ['1', state.id, state.v, state.at, granted.join('+') || '-'].join('.') +
      ';path=/;max-age=' + cfg.days * 86400 + ';samesite=lax' +
      (location.protocol === 'https:' ? ';secure' : '');
    send({
      consent_id: state.id, method: method, granted: granted, version: cfg.v, language: lang(),
      denied: opt.filter(function (c) { return granted.indexOf(c) < 0; }), gpc: gpc
    });
    lost.forEach(clear);
    activate();
    close();
    emit(method);
  }

  // Remove the cookies that the scripts of a withdrawn category declare (data-cookies="a b*").
  function clear(code) {
    var names = d.cookie.split(/;\s*/).map(function (c) { return c.split('=')[0]; });
    var parts = location.hostname.split('.'), domains = [''];
    for (var i = 0; i < parts.length - 1; i++) domains.push(';domain=.' + parts.slice(i).join('.'));
    d.querySelectorAll('[data-category="' + code + '"][data-cookies]').forEach(function (s) {
      s.getAttribute('data-cookies').split(/\s+/).forEach(function (pattern) {
        names.forEach(function (name) {
          var star = pattern.slice(-1) === '*';
          if (!pattern || (star ? name.indexOf(pattern.slice(0, -1)) : name !== pattern)) return;
          domains.forEach(function (dm) { d.cookie = name + '=;path=/;max-age=0' + dm; });
        });
      });
    });
  }

  // Run the blocked scripts (type="text/plain" data-category=…) whose category is consented.
  function activate() {
    d.querySelectorAll('script[type="text/plain"][data-category]').forEach(function (old) {
      if (!has(old.getAttribute('data-category'))) return;
      var s = d.createElement('script');
      Array.from(old.attributes).forEach(function (a) {
        if (a.name !== 'type') s.setAttribute(a.name, a.value);
      });
      if (old.nonce) s.nonce = old.nonce; // only its own nonce: never lend the banner's
      if (!old.src) s.text = old.text;
      s.async = false;
      old.replaceWith(s);
    });
  }

  function el(tag, attrs) {
    var e = d.createElement(tag);
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v != null && v !== false) e.setAttribute(k, v === true ? '' : v);
    });
    var kids = [].concat.apply([], [].slice.call(arguments, 2));
    e.append.apply(e, kids.filter(function (k) { return k != null; }));
    return e;
  }

  function css() {
    if (!cssReady) {
      var link = el('link', { rel: 'stylesheet', href: url('banner.css') });
      if (nonce) link.nonce = nonce;
      cssReady = new Promise(function (done) { link.onload = link.onerror = done; });
      d.head.append(link);
    }
    return cssReady;
  }

  function show(custom) {
    if (!cfg) {
      asked = true; // opened before the notice arrived: show it when it does
      return;
    }
    close();
    opener = d.activeElement;
    css().then(function () { ready(function () { build(custom); }); });
  }

  function build(custom) {
    if (box) return; // already open
    var t = cfg.t[lang()], c = current(), chosen = c ? c.granted : [];
    var off = gpc ? cfg.gpcOff : [];
    var cats = el('fieldset', { class: 'opeka-cc__cats', hidden: !custom },
      el('legend', {}, t.categories),
      cfg.categories.map(function (k) {
        var id = 'opeka-cc-' + k.code;
        return el('div', { class: 'opeka-cc__cat' },
          el('input', {
            type: 'checkbox', id: id, name: k.code, 'aria-describedby': id + '-d',
            checked: k.on || chosen.indexOf(k.code) >= 0, disabled: k.on
          }),
          el('label', { for: id }, tr(k.title), k.on ? ' — ' + t.always : null),
          el('p', { id: id + '-d', class: 'opeka-cc__desc' },
            tr(k.text) + ' (' + t.clause + ' ' + k.clause + ')'));
      }));
    var button = function (act, text) {
      return el('button', { type: 'button', class: 'opeka-cc__btn', 'data-act': act }, text);
    };
    var dialog = el('div', {
      class: 'opeka-cc__box', role: 'dialog', 'aria-modal': 'true', tabindex: '-1',
      'aria-labelledby': 'opeka-cc-t', 'aria-describedby': 'opeka-cc-d', lang: lang()
    },
      el('button', { type: 'button', class: 'opeka-cc__x', 'data-act': 'close', 'aria-label': t.close }, '×'),
      el('h2', { id: 'opeka-cc-t', class: 'opeka-cc__title' }, t.title),
      el('p', { id: 'opeka-cc-d' }, t.intro + ' ', el('a', { href: url(cfg.policy) }, t.policy)),
      gpc ? el('p', { class: 'opeka-cc__gpc' }, t.gpc) : null,
      cats,
      el('div', { class: 'opeka-cc__btns' },
        button('accept', off.length ? t.accept_gpc : t.accept),
        button('reject', t.reject),
        custom ? button('save', t.save) : button('more', t.customise)));
    box = el('div', { class: 'opeka-cc' }, dialog);
    box.addEventListener('click', function (e) {
      var b = e.target.closest('[data-act]'), act = b && b.getAttribute('data-act');
      var ticked = function () {
        return Array.from(cats.querySelectorAll('input:checked')).map(function (i) { return i.name; });
      };
      if (act === 'more') {
        cats.hidden = false;
        b.setAttribute('data-act', 'save');
        b.textContent = t.save;
        cats.querySelector('input:not([disabled])').focus();
      } else if (act === 'save') decide(ticked(), 'custom');
      else if (act === 'accept') {
        decide(optional().filter(function (k) { return off.indexOf(k) < 0; }),
          off.length ? 'gpc' : 'banner_accept_all');
      } else if (act === 'reject') decide([], 'reject_all');
      else if (act === 'close') close();
    });
    box.addEventListener('keydown', trap);
    inerted = Array.from(d.body.children).filter(function (n) { return !n.inert; });
    inerted.forEach(function (n) { n.inert = true; });
    d.body.append(box);
    dialog.focus();
  }

  // Keep Tab inside the dialog; Esc closes it without deciding anything.
  function trap(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') {
      var f = Array.from(box.querySelectorAll('a[href],button,input:not([disabled])'))
        .filter(function (x) { return x.getClientRects().length; });
      var first = f[0], last = f[f.length - 1], at = d.activeElement;
      if (e.shiftKey ? at === first || !f.includes(at) : at === last) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      }
    }
  }

  function close() {
    if (!box) return;
    inerted.forEach(function (n) { n.inert = false; });
    inerted = [];
    box.remove();
    box = null;
    if (opener && opener.focus && d.contains(opener)) opener.focus();
    opener = null;
  }

  w.opekaConsent = {
    get: function () {
      var c = current();
      return c && { id: c.id, granted: c.granted.slice(), version: c.v, at: c.at };
    },
    has: has,
    show: function () { show(true); },
    set: function (granted) { if (cfg) decide(granted, 'custom'); },
    withdraw: function () { if (cfg) decide([], 'withdraw'); }
  };

  d.addEventListener('click', function (e) {
    var t = e.target.closest && e.target.closest('[data-opeka-settings]');
    if (t) {
      e.preventDefault();
      show(true);
    }
  });

  // Follow the page's language when the site's own script switches it: rebuild the dialog.
  new MutationObserver(function () {
    if (box && box.firstChild.lang !== lang()) {
      var custom = !box.querySelector('fieldset').hidden, o = opener;
      close();
      opener = o;
      build(custom);
    }
  }).observe(d.documentElement, { attributes: true, attributeFilter: ['lang'] });

  state = read();
  if (!state) css();
  fetch(url('config.json'), { credentials: 'same-origin' })
    .then(function (r) { return r.json(); })
    .then(function (c) {
      cfg = c;
      gpc = gpc || c.gpc;
      ready(function () {
        if (current()) {
          activate();
          emit('stored');
        }
        if (asked || !current()) show(!!asked);
      });
    })
    .catch(function () { /* no notice: nothing optional runs */ });
})(window, document);
