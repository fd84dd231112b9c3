"""transform_position: the cases of quill-delta's test/delta/transform-position."""

from editor import ot


def test_insert_before_position():
    assert ot.transform_position([{"insert": "A"}], 2) == 3


def test_insert_after_position():
    assert ot.transform_position([{"retain": 2}, {"insert": "A"}], 1) == 1


def test_insert_at_position_with_and_without_priority():
    ops = [{"retain": 2}, {"insert": "A"}]
    assert ot.transform_position(ops, 2, True) == 2
    assert ot.transform_position(ops, 2, False) == 3


def test_delete_before_position():
    assert ot.transform_position([{"delete": 2}], 4) == 2


def test_delete_after_position():
    assert ot.transform_position([{"retain": 4}, {"delete": 2}], 2) == 2


def test_delete_across_position():
    assert ot.transform_position([{"retain": 1}, {"delete": 4}], 2) == 1


def test_insert_and_delete_before_position():
    assert ot.transform_position([{"retain": 2}, {"insert": "A"}, {"delete": 2}], 4) == 3


def test_insert_before_and_delete_across_position():
    assert ot.transform_position([{"retain": 2}, {"insert": "A"}, {"delete": 4}], 4) == 3


def test_delete_before_and_delete_across_position():
    ops = [{"delete": 1}, {"retain": 1}, {"delete": 4}]
    assert ot.transform_position(ops, 4) == 1


def test_astral_insert_moves_a_position_by_two_units():
    assert ot.transform_position([{"insert": "😀"}], 1) == 3
