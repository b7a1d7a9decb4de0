DATABASES = {
    'default': {
        'USER': 'deploy',
        'PASSWORD': 'skclnn569',
    }
}
