"""Puts tools/sim on the import path (run: python -m pytest tools/sim/tests)."""
import sys
from pathlib import Path

SIM_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SIM_DIR))
