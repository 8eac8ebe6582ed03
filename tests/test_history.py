"""History: the back/forward behaviour people know from a web browser."""

from compass.history import History


def test_empty_history_goes_nowhere() -> None:
    h: History[int] = History()
    assert h.current is None and h.back() is None and h.forward() is None


def test_back_and_forward() -> None:
    h: History[int] = History()
    for n in (1, 2, 3):
        h.visit(n)
    assert h.back() == 2 and h.back() == 1 and h.back() is None
    assert h.forward() == 2 and h.forward() == 3 and h.forward() is None


def test_visit_after_back_drops_forward_part() -> None:
    h: History[int] = History()
    for n in (1, 2, 3):
        h.visit(n)
    h.back()
    h.back()
    h.visit(9)
    assert list(h) == [1, 9] and not h.can_forward and h.back() == 1


def test_repeat_visit_is_not_a_step_and_limit_holds() -> None:
    h: History[int] = History(limit=3)
    for n in (1, 1, 2, 3, 4):
        h.visit(n)
    assert list(h) == [2, 3, 4] and h.current == 4
