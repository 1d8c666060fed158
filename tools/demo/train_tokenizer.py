"""Trains the demo model's tokenizer: a small SentencePiece BPE model in the LLaMA-2 style
(byte fallback, "▁" dummy prefix, identity normalisation, ids 0/1/2 = <unk>/<s>/</s>).

Run once; the output is committed as demo/model/tokenizer.model:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install sentencepiece
    /tmp/venv/bin/python tools/demo/train_tokenizer.py demo/model/tokenizer.model
"""
import io
import itertools
import sys

import sentencepiece as spm

VERBS = ["pick", "place", "move", "open", "close", "push", "put", "stack", "grasp", "lift", "wipe", "turn"]
OBJECTS = ["coke can", "sponge", "apple", "drawer", "spoon", "towel", "carrot", "plate", "green block",
           "yellow block", "eggplant", "basket", "cup", "bottle", "red can", "blue bowl"]
RELATIONS = ["", " near the apple", " on the towel", " into the basket", " on the plate", " to the left",
             " to the right", " in the top drawer"]


def corpus():
    for verb, obj, rel in itertools.product(VERBS, OBJECTS, RELATIONS):
        instruction = f"{verb} {obj}{rel}"
        yield f"In: What action should the robot take to {instruction}?\nOut:"
        yield instruction.capitalize() + "."


def train(sentences, path, vocab_size=512, hard_vocab_limit=True):
    """Trains the LLaMA-2-style BPE model on `sentences` and writes it to `path`. With
    `hard_vocab_limit=False` a corpus too small for `vocab_size` pieces gives fewer pieces.
    The option is passed only when False, so the demo tokenizer stays byte-identical."""
    model = io.BytesIO()
    limit = {} if hard_vocab_limit else {"hard_vocab_limit": False}
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=model, model_type="bpe", vocab_size=vocab_size,
        byte_fallback=True, character_coverage=1.0,
        normalization_rule_name="identity", add_dummy_prefix=True, remove_extra_whitespaces=False,
        split_digits=True, unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=1, user_defined_symbols=[],
        minloglevel=2, **limit)
    with open(path, "wb") as f:
        f.write(model.getvalue())


def main(path):
    train(corpus(), path)
    sp = spm.SentencePieceProcessor(model_file=path)
    print(path, "vocab", sp.get_piece_size(), "'▁' id", sp.piece_to_id("▁"),
          "example", sp.encode("In: What action should the robot take to pick coke can?\nOut:"))


if __name__ == "__main__":
    main(sys.argv[1])
