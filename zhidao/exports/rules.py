"""A background export's file is its requester's: anybody else's is not found."""

import rules

from zhidao.accounts.permissions import visible_through

from . import selectors

rules.add_perm("exports.view_exportfile", visible_through(selectors.export_files_visible_to))
