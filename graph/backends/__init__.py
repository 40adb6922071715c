"""The two store back ends behind one ``Executor`` interface."""
