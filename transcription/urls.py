app_name = "transcription"

urlpatterns: list = []
