"""Outgoing mail: messages from templates (Russian first, English second) and mailers.

``message`` (:class:`OutgoingMail`), ``templates`` (rendering ``templates/*.txt``),
``mailers`` (the :class:`Mailer` protocol: memory, development outbox, SMTP),
``factory`` (:func:`build_mailer` from the settings), ``errors``.
"""
