import sys
from pathlib import Path

# evaluate_support.py sits beside the tests; the tests folder is not a package.
sys.path.insert(0, str(Path(__file__).parent))
