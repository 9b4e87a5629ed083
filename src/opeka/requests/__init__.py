"""Data-subject requests (152-FZ art. 14, 20, 21; policy 5.2, 5.3, 7).

Kinds and terms (:mod:`.kinds`), the production calendar and deadline arithmetic
(:mod:`.calendar`, :mod:`.deadlines`), the state machine (:mod:`.states`), the service that opens,
verifies and closes requests (:mod:`.service`, :mod:`.extension`, :mod:`.identity`), executors
of withdrawal, blocking and destruction (:mod:`.executors`), the sweep that performs what is due
(:mod:`.sweep`), the console's queue (:mod:`.queue`) and the register (:mod:`.register`).
"""
