"""Documents the operator must produce: acts of destruction (RKN Order 179) and access packages.

Acts: ``act_model`` (the act as a value, built from destructions), ``acts`` (recorded in the
destroying unit of work, the sweep's hooks, listing, opening), ``act_store`` (rows, numbering),
``sealing`` (AES-256-GCM under a key derived from the master key), ``extract`` (the log extract,
p. 5), ``act_render`` (JSON and PDF), ``retention`` (removal after three years).
Access package (152-FZ art. 14 p. 7): ``access_package`` (gathered through the spine; JSON),
``access_layout`` (its PDF), ``downloads`` (one-time, expiring download links).
Shared: ``pdf`` (layout with DejaVu Sans), ``errors``.

No module here imports the web framework; the console and the portal call these functions.
"""
