"""Makes this repository an nbgrader course (for Formgrader and nbgrader's own commands).

solutions/ holds the instructor versions (nbgrader's "source"), notebooks/ the generated student
versions (nbgrader's "release"). The course working directory (submitted/, autograded/, feedback/ and
the gradebook) is the one the `course` verbs use: `course lab --role instructor --course-dir DIR
[--db URL]` passes it here as COURSE_DIR and COURSE_DB_URL (default: course-work/, which git ignores,
and DIR/gradebook.db). The settings come from course.grading.nbgrader_config.make_config, the one
configuration the `course` verbs use, so Formgrader and `course autograde` can never disagree.
"""

import os
import sys

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)  # `course` importable even without the editable install
from course.grading.nbgrader_config import make_config  # noqa: E402

c.merge(make_config(os.environ.get("COURSE_DIR") or os.path.join(here, "course-work"),
                    db_url=os.environ.get("COURSE_DB_URL") or None))

