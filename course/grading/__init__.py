"""The instructor pipeline on top of nbgrader's own API and gradebook."""
