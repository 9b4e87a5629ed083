"""Self-service: the business rules behind the data subjects' portal and the visitor forms.

Modules: ``fields`` (the form fields a category and purpose ask for, read from the policy, and
their validation), ``limits`` (per-address rate limits of public forms), ``consents`` (consent
offers, states, giving, withdrawing, receipts), ``registration`` (a portal account resting on the
contract, purpose 2.2.7), ``mydata`` (access, rectification and the JSON copy under the
statutory purpose), ``closure`` (withdrawal without a remaining basis and account deletion,
through the requests module), ``visitors`` (the question and event forms, policy 1.1.2),
``events`` (the events a visitor may register for), ``errors``.

No module here imports the web framework: the portal's routes (:mod:`opeka.web.portal`) parse the
request, call one function and render its result.
"""
