"""The episode dataset over the demo bags: chunk padding, normalisation, statistics, input_ids."""
import numpy as np
import pytest
import sentencepiece as spm

from conftest import DEMO_BAGS, SMALL_CONFIG
from episodes import (MASK, UNNORM_KEY, EpisodeDataset, action_chunk, collate, dataset_statistics, read_bags,
                      write_tokenizer)
from normalization import normalize


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """(episodes, statistics, tokenizer path, dataset) of the four demo bags."""
    episodes = read_bags(DEMO_BAGS)
    tokenizer = tmp_path_factory.mktemp("tokenizer") / "tokenizer.model"
    write_tokenizer(episodes, SMALL_CONFIG, tokenizer)
    statistics = dataset_statistics(episodes)
    return episodes, statistics, tokenizer, EpisodeDataset(episodes, SMALL_CONFIG, tokenizer, statistics)


def test_chunks_are_padded_by_repeating_the_last_action():
    actions = np.arange(5, dtype=np.float32)[:, None].repeat(7, axis=1)
    assert action_chunk(actions, 1, 3)[:, 0].tolist() == [1, 2, 3]
    assert action_chunk(actions, 3, 4)[:, 0].tolist() == [3, 4, 4, 4]


def test_statistics_cover_all_actions_with_the_gripper_unmasked(data):
    episodes, statistics, _, dataset = data
    entry = statistics[UNNORM_KEY]["action"]
    assert entry["mask"] == MASK == [True] * 6 + [False]
    every = np.concatenate([episode.actions for episode in episodes])
    assert np.allclose(entry["q99"], np.quantile(every, 0.99, axis=0))
    assert len(dataset) == len(every) == sum(len(episode.frames) for episode in episodes)


def test_a_sample_is_frame_ids_and_the_normalised_padded_chunk(data):
    episodes, statistics, tokenizer, dataset = data
    instruction, frames, actions, observations = episodes[0]
    last = len(frames) - 1
    frame, ids, chunk, state = dataset[last]
    assert frame.shape == (224, 224, 3) and frame.dtype == np.uint8 and np.array_equal(frame, frames[last])
    expected = normalize(actions[[last] * 16], statistics[UNNORM_KEY]["action"])
    assert chunk.shape == (16, 7) and np.array_equal(chunk.numpy(), expected)
    assert np.all(np.abs(chunk.numpy()) <= 1) and np.array_equal(chunk[:, 6].numpy(), actions[[last] * 16, 6])
    assert np.all(chunk[:, 3:6].numpy() == 0)  # MetaWorld's constant rotation dimensions
    sp = spm.SentencePieceProcessor(model_file=str(tokenizer))
    prompt = SMALL_CONFIG["prompt"].format(instruction=instruction.lower())
    assert ids.tolist() == [sp.bos_id()] + sp.encode(prompt) + [sp.piece_to_id("▁"), sp.eos_id()]


def test_collate_right_pads_ids_of_different_lengths(data):
    episodes, _, _, dataset = data
    first_other = next(i for i, (e, _) in enumerate(dataset.index) if episodes[e].instruction != episodes[0].instruction)
    samples = [dataset[0], dataset[first_other]]
    frames, ids, lengths, chunks, states = collate(samples)
    assert lengths.tolist() == [len(samples[0][1]), len(samples[1][1])] and lengths[0] != lengths[1]
    assert ids.shape == (2, int(lengths.max())) and chunks.shape == (2, 16, 7) and len(frames) == 2
    assert states.shape == (2, 9)
    for row, (_, values, _, _) in enumerate(samples):
        assert ids[row, :len(values)].tolist() == values.tolist() and np.all(ids[row, len(values):].numpy() == 0)
