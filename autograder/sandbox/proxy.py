"""Proxies that stand for student objects in the trusted process.

A hidden test calls ``cross_correlate2d(image, kernel)`` as usual; in the grader
the name is bound to a :class:`RemoteFunction`, which sends the arguments to the
student process and returns the plain data that comes back. Objects that are not
plain data (a model, a layer cache, a ``TwoLayerNet``) stay in the student
process and are reached through :class:`RemoteObject`: attribute access, calls,
items and iteration each become one request. A handle is never an array:
NumPy may not walk it element by element (one request each), so converting one
fails at once, and every test's requests, bytes and time are bounded by the
session (``StudentSession.begin_test``).
"""


class RemoteFunction:
    """A graded name defined in the student process."""

    def __init__(self, session, name):
        self._session, self.__name__ = session, name

    def __call__(self, *args, **kwargs):
        return self._session.call(self.__name__, args, kwargs)

    def __repr__(self):
        return f"<student function {self.__name__}>"


class RemoteObject:
    """An object that lives in the student process (class instances, caches, containers)."""

    __slots__ = ("_session", "_id", "_type")

    def __init__(self, session, oid, type_name):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_id", oid)
        object.__setattr__(self, "_type", type_name)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if self._type == "dict" and name in ("items", "keys", "values"):
            return getattr(self, "_" + name)
        return self._session.getattr(self._id, name)

    def __setattr__(self, name, value):
        self._session.setattr(self._id, name, value)

    def __call__(self, *args, **kwargs):
        return self._session.call(self._id, args, kwargs)

    def __bool__(self):  # an object is true unless it says otherwise; no request for that
        return True

    def __array__(self, *args, **kwargs):
        raise TypeError(f"expected an array, got {self!r}")

    def __getitem__(self, key):
        return self._session.getitem(self._id, key)

    def __setitem__(self, key, value):
        self._session.setitem(self._id, key, value)

    def __len__(self):
        return self._session.length(self._id)

    def __iter__(self):
        return iter(self._session.items(self._id))

    def __contains__(self, key):
        return key in self._session.items(self._id)

    def _items(self):
        return self._session.items(self._id, kind="items")

    def _keys(self):
        return self._session.items(self._id)

    def _values(self):
        return [v for _, v in self._items()]

    def __repr__(self):
        return f"<student {self._type} object>"
