"""Setting up a real federation from zero: the federation tree of a province or a city, taken
from the bundled division list (orgs/divisions.py), and its first admin. The management command
`setup_federation` and the superuser's first-run page both call `services.set_up_federation_tree`.
"""
