"""Home-safety guides for parents and carers: public, printable, in several languages."""
