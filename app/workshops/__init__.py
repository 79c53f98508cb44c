"""Workshop packs for parents' sessions: facilitator notes, slides, handouts, feedback."""
