"""Development tools: not installed with diemtin, run from a checkout (python tools/NAME.py).

- ``train_scorer.py``: train the shipped sentence scorer on the dev files, and measure it on
  clusters it was not trained on (``--cv K``).
- ``build_frequencies.py``: build the background document frequencies every story state
  starts from.
- ``build_gazetteer.py``: build the names gazetteer the entity rules consult (which type news
  cues a name as, across a corpus).
"""
