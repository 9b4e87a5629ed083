"""Cookies: the consent banner, consent events, GPC, first-party analytics (policy 6.2–6.5).

``config`` builds the banner's notice from the policy; ``events`` validates and stores the
banner's decisions (append-only proofs); ``batcher`` groups concurrent writes into one committed
transaction; ``analytics`` counts page views and daily unique visitors without a persistent id;
``assets`` holds the banner's JS and CSS.
"""
