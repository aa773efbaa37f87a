"""The composition root: reads the settings and wires engine → unit of work → command runner →
platforms → web app → command line. Nothing below this package imports it."""
