DATABASES = {
    'default': {
        'USER': 'billing',
        'PASSWORD': 'D1iv3rphlfX_3Tt',
    }
}
