"""The pure model: specs and their vocabulary, one month's evaluation, and the analyses built
on it. numpy, pandas and the standard library only; the equations are in docs/model.md."""
