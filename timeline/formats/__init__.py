"""Every way an answer is written out: tables fitted to the terminal, CSV, JSON, explanation and
check text, the provenance graph's formats, and charts.

Renderers take the API's results (or their `to_data()`) and return text; they
decide nothing about the answer itself.
"""
