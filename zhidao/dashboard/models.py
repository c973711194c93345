"""The dashboard keeps no data of its own: its figures are the figures module's summary rows."""
