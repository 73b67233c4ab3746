"""Makes this repository an nbgrader course (for Formgrader and nbgrader's own commands).

solutions/ holds the instructor versions (nbgrader's "source"), notebooks/ the generated student
versions (nbgrader's "release"). Runtime folders (submitted/, autograded/, feedback/) and the gradebook
go under course-work/, which git ignores. The `course` command uses the same layout with --course-dir.
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

here = os.path.dirname(os.path.abspath(__file__))
work = os.path.join(here, "course-work")

c.CourseDirectory.course_id = "us-japan-alliance"
c.CourseDirectory.root = work
c.CourseDirectory.source_directory = os.path.join(here, "solutions")
c.CourseDirectory.release_directory = os.path.join(here, "notebooks")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(work, "gradebook.db")
