"""Form version 1 (1.0.0) of läkarintyg till socialnämnden."""
