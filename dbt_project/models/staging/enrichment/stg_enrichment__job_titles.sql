select
    job_title,
    seniority,
    department,
    seniority in ('student', 'job_seeker') as is_student_or_job_seeker
from {{ source('enrichment', 'enrichment_job_titles') }}
