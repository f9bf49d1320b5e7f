"""Forward-mode AD is not part of minigrad: lesson 03 computes forward-mode derivatives by hand to
compare the two modes. This module exists so that ``minigrad.autograd.forward_ad`` names it."""
