"""Everything that becomes events: article files, published datasets, exported logs."""
