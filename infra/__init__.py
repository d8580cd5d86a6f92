"""Infrastructure as code: the single source of truth for Rapport's AWS resources."""
