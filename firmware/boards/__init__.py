# boards — one module per board: builds the parts panel/board.py describes. Never imported by the core.
