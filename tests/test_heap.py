"""The import units set the app's objects aside from the garbage collector only while they run."""

import gc

from snt.heap import app_objects_set_aside


def test_objects_are_set_aside_while_inside_and_back_after_the_last_unit():
    assert gc.get_freeze_count() == 0
    with app_objects_set_aside():
        assert gc.get_freeze_count() > 0
        with app_objects_set_aside():  # a nested (or another thread's) unit
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() > 0  # the outer unit is still inside
    assert gc.get_freeze_count() == 0


def test_a_freeze_made_by_someone_else_is_left_alone():
    """The unit must not unfreeze what it did not freeze. The count itself is not compared: another
    thread (a test server, a driver) may free a frozen object at any moment and lower it by one."""
    gc.freeze()
    try:
        with app_objects_set_aside():
            pass
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_garbage_made_inside_is_still_collected():
    class Node:
        pass

    with app_objects_set_aside():
        node = Node()
        node.me = node  # a cycle
        del node
        assert gc.collect() >= 1
